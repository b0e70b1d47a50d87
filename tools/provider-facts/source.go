package main

// Reads the provider's Go source as syntax only: packages are parsed on demand, by import path, from the
// checked-out upstream tree. Nothing of the provider is compiled, imported or run.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// file is one parsed source file with the import names it declares (name -> import path).
type file struct {
	ast     *ast.File
	imports map[string]string
	pkg     *pkg
}

// pkg is one Go package of the provider: its top-level functions and variables/constants by name.
type pkg struct {
	path  string
	funcs map[string]*ast.FuncDecl
	vals  map[string]ast.Expr // package-level var/const initialisers
	files map[*ast.FuncDecl]*file
	valOf map[string]*file
	all   []*file
}

// tree is the checked-out provider repository.
type tree struct {
	root   string
	module string
	fset   *token.FileSet
	pkgs   map[string]*pkg
}

func newTree(root string) (*tree, error) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, fmt.Errorf("%s is not the provider's repository root: %w", root, err)
	}
	module := ""
	for _, line := range strings.Split(string(mod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			module = strings.TrimSpace(rest)
		}
	}
	if module == "" {
		return nil, fmt.Errorf("%s/go.mod names no module", root)
	}
	return &tree{root: root, module: module, fset: token.NewFileSet(), pkgs: map[string]*pkg{}}, nil
}

// dirOf maps an import path of this module to its directory, or "" for other modules.
func (t *tree) dirOf(importPath string) string {
	if importPath == t.module {
		return t.root
	}
	rest, ok := strings.CutPrefix(importPath, t.module+"/")
	if !ok {
		return ""
	}
	return filepath.Join(t.root, filepath.FromSlash(rest))
}

// load parses a package of this module (non-test files); nil for packages of other modules.
func (t *tree) load(importPath string) (*pkg, error) {
	if p, ok := t.pkgs[importPath]; ok {
		return p, nil
	}
	dir := t.dirOf(importPath)
	if dir == "" {
		t.pkgs[importPath] = nil
		return nil, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	p := &pkg{
		path:  importPath,
		funcs: map[string]*ast.FuncDecl{},
		vals:  map[string]ast.Expr{},
		files: map[*ast.FuncDecl]*file{},
		valOf: map[string]*file{},
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(t.fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		f := &file{ast: parsed, imports: importsOf(parsed), pkg: p}
		p.all = append(p.all, f)
		index(p, f)
	}
	t.pkgs[importPath] = p
	return p, nil
}

func importsOf(f *ast.File) map[string]string {
	imports := map[string]string{}
	for _, spec := range f.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if spec.Name != nil {
			name = spec.Name.Name
		}
		imports[name] = path
	}
	return imports
}

func index(p *pkg, f *file) {
	for _, decl := range f.ast.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				p.funcs[d.Name.Name] = d
				p.files[d] = f
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						p.vals[name.Name] = vs.Values[i]
						p.valOf[name.Name] = f
					}
				}
			}
		}
	}
}

// position is "path/relative/to/root.go:line", the citation written beside each fact.
func (t *tree) position(pos token.Pos) string {
	p := t.fset.Position(pos)
	rel, err := filepath.Rel(t.root, p.Filename)
	if err != nil {
		rel = p.Filename
	}
	return fmt.Sprintf("%s:%d", filepath.ToSlash(rel), p.Line)
}

// registration finds `registry.Schema{Name: "<tfType>", Schema: <expr>}` under google-beta/services.
func (t *tree) registration(tfType string) (ast.Expr, *file, error) {
	servicesDir := filepath.Join(t.root, "google-beta", "services")
	needle := []byte(strconv.Quote(tfType))
	var found ast.Expr
	var foundIn *file
	err := filepath.WalkDir(servicesDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || found != nil || d.IsDir() || !strings.HasSuffix(path, ".go") ||
			strings.HasSuffix(path, "_test.go") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(raw), string(needle)) {
			return err
		}
		rel, _ := filepath.Rel(t.root, filepath.Dir(path))
		p, err := t.load(t.module + "/" + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		for _, f := range p.all {
			if t.fset.Position(f.ast.Pos()).Filename != path {
				continue
			}
			ast.Inspect(f.ast, func(n ast.Node) bool {
				if lit, ok := n.(*ast.CompositeLit); ok && found == nil && isSelector(lit.Type, "registry", "Schema") {
					if schemaExpr := registeredSchema(lit, string(needle)); schemaExpr != nil {
						found, foundIn = schemaExpr, f
					}
				}
				return found == nil
			})
		}
		return nil
	})
	if err == nil && found == nil {
		err = fmt.Errorf("no registry.Schema registers %s under %s", tfType, servicesDir)
	}
	return found, foundIn, err
}

// registeredSchema returns the Schema expression of a registry.Schema literal whose Name is quotedName
// and whose Type is a resource (not a data source).
func registeredSchema(lit *ast.CompositeLit, quotedName string) ast.Expr {
	var name, kind string
	var schemaExpr ast.Expr
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		switch key := kv.Key.(*ast.Ident); {
		case key == nil:
		case key.Name == "Name":
			if b, ok := kv.Value.(*ast.BasicLit); ok {
				name = b.Value
			}
		case key.Name == "Type":
			if sel, ok := kv.Value.(*ast.SelectorExpr); ok {
				kind = sel.Sel.Name
			}
		case key.Name == "Schema":
			schemaExpr = kv.Value
		}
	}
	if name != quotedName || strings.Contains(kind, "DataSource") {
		return nil
	}
	return schemaExpr
}

func isSelector(e ast.Expr, pkgName, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == pkgName && sel.Sel.Name == name
}
