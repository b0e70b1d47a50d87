package main

// A small evaluator of the provider's schema-building code: composite literals of schema.Resource,
// schema.Schema and map[string]*schema.Schema, calls of the package's own helper functions (with their
// arguments bound), package-level variables, local variables and field assignments, and
// tpgresource.MergeSchemas. Everything else (CRUD functions, validators, customize-diff functions) is kept
// as source text or ignored: only the flags of each field matter here.

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"strconv"
	"strings"
)

// field is one schema.Schema as the provider declares it.
type field struct {
	Type             string
	Optional         bool
	Required         bool
	Computed         bool
	ForceNew         bool
	Sensitive        bool
	MaxItems         int
	DiffSuppressFunc string
	StateFunc        string
	Default          string
	Deprecated       string
	Elem             any // *resource (a nested block) or *field (a primitive element)
	Pos              token.Pos
}

// resource is a schema.Resource: its fields, and the plan-time checks (CustomizeDiff) that can change a
// diff beyond the fields' flags.
type resource struct {
	Schema        schemaMap
	CustomizeDiff []string
	// ForceNewIf: customdiff.ForceNewIfChange(path, condition) entries, Terraform path -> condition.
	ForceNewIf map[string]string
}

type schemaMap map[string]*field

// opaque is a value the evaluator does not model, kept as its source text.
type opaque string

type frame struct {
	vars map[string]any
	file *file
}

type evaluator struct {
	tree     *tree
	depth    int
	warnings []string
}

func (ev *evaluator) warn(pos token.Pos, format string, args ...any) {
	ev.warnings = append(ev.warnings, ev.tree.position(pos)+": "+fmt.Sprintf(format, args...))
}

func (ev *evaluator) text(e ast.Node) string {
	if lit, ok := e.(*ast.FuncLit); ok {
		return "func literal at " + ev.tree.position(lit.Pos())
	}
	var buf bytes.Buffer
	_ = printer.Fprint(&buf, ev.tree.fset, e)
	return buf.String()
}

// isSchemaPkg tells whether an identifier names the SDK's helper/schema package in this file.
func isSchemaPkg(fr *frame, e ast.Expr, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && strings.HasSuffix(fr.file.imports[x.Name], "/helper/schema")
}

func (ev *evaluator) eval(e ast.Expr, fr *frame, elided string) any {
	ev.depth++
	defer func() { ev.depth-- }()
	if ev.depth > 200 {
		ev.warn(e.Pos(), "evaluation too deep, stopped")
		return opaque(ev.text(e))
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return ev.eval(x.X, fr, elided)
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return ev.eval(x.X, fr, elided)
		}
	case *ast.CompositeLit:
		return ev.composite(x, fr, elided)
	case *ast.BasicLit:
		switch x.Kind {
		case token.INT:
			n, _ := strconv.Atoi(x.Value)
			return n
		case token.STRING:
			s, _ := strconv.Unquote(x.Value)
			return s
		}
	case *ast.Ident:
		return ev.ident(x, fr)
	case *ast.SelectorExpr:
		return ev.selector(x, fr)
	case *ast.IndexExpr:
		if m, ok := ev.eval(x.X, fr, "").(schemaMap); ok {
			if k, ok := ev.eval(x.Index, fr, "").(string); ok {
				return m[k]
			}
		}
	case *ast.CallExpr:
		return ev.call(x, fr)
	}
	return opaque(ev.text(e))
}

func (ev *evaluator) ident(x *ast.Ident, fr *frame) any {
	switch x.Name {
	case "true":
		return true
	case "false":
		return false
	}
	if v, ok := fr.vars[x.Name]; ok {
		return v
	}
	p := fr.file.pkg
	if init, ok := p.vals[x.Name]; ok {
		// Re-evaluated on every use, so that one resource's edits never leak into another's copy.
		return ev.eval(init, &frame{vars: map[string]any{}, file: p.valOf[x.Name]}, "")
	}
	return opaque(x.Name)
}

func (ev *evaluator) selector(x *ast.SelectorExpr, fr *frame) any {
	if id, ok := x.X.(*ast.Ident); ok {
		if _, local := fr.vars[id.Name]; !local {
			if path, imported := fr.file.imports[id.Name]; imported {
				p, err := ev.tree.load(path)
				if err != nil {
					ev.warn(x.Pos(), "%v", err)
				}
				if p != nil {
					if init, ok := p.vals[x.Sel.Name]; ok {
						return ev.eval(init, &frame{vars: map[string]any{}, file: p.valOf[x.Sel.Name]}, "")
					}
				}
				return opaque(ev.text(x))
			}
		}
	}
	if r, ok := ev.eval(x.X, fr, "").(*resource); ok && x.Sel.Name == "Schema" {
		return r.Schema
	}
	return opaque(ev.text(x))
}

// callee resolves a called function to its declaration and the file it is declared in.
func (ev *evaluator) callee(fun ast.Expr, fr *frame) (*ast.FuncDecl, *file) {
	switch f := fun.(type) {
	case *ast.Ident:
		if d, ok := fr.file.pkg.funcs[f.Name]; ok {
			return d, fr.file.pkg.files[d]
		}
	case *ast.SelectorExpr:
		id, ok := f.X.(*ast.Ident)
		if !ok {
			return nil, nil
		}
		path, ok := fr.file.imports[id.Name]
		if !ok {
			return nil, nil
		}
		p, err := ev.tree.load(path)
		if err != nil || p == nil {
			return nil, nil
		}
		if d, ok := p.funcs[f.Sel.Name]; ok {
			return d, p.files[d]
		}
	}
	return nil, nil
}

func (ev *evaluator) call(x *ast.CallExpr, fr *frame) any {
	if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "MergeSchemas" && len(x.Args) == 2 {
		// tpgresource.MergeSchemas(a, b): b's entries win (google-beta/tpgresource/utils.go).
		merged := schemaMap{}
		for _, arg := range x.Args {
			if m, ok := ev.eval(arg, fr, "").(schemaMap); ok {
				for k, v := range m {
					merged[k] = v
				}
			} else {
				ev.warn(arg.Pos(), "MergeSchemas argument is not a schema map: %s", ev.text(arg))
			}
		}
		return merged
	}
	if lit, ok := x.Fun.(*ast.FuncLit); ok {
		return ev.run(lit.Body, &frame{vars: map[string]any{}, file: fr.file}, "func literal")
	}
	decl, declFile := ev.callee(x.Fun, fr)
	if decl == nil || decl.Body == nil {
		return opaque(ev.text(x))
	}
	callFrame := &frame{vars: map[string]any{}, file: declFile}
	i := 0
	for _, param := range decl.Type.Params.List {
		for _, name := range param.Names {
			if i < len(x.Args) {
				callFrame.vars[name.Name] = ev.eval(x.Args[i], fr, "")
			}
			i++
		}
	}
	return ev.run(decl.Body, callFrame, decl.Name.Name)
}

// run executes a function body for its return value: straight-line assignments are followed; branches
// and loops are skipped, with a warning when they touch a schema.
func (ev *evaluator) run(body *ast.BlockStmt, fr *frame, name string) any {
	for _, stmt := range body.List {
		switch s := stmt.(type) {
		case *ast.ReturnStmt:
			if len(s.Results) == 0 {
				return nil
			}
			return ev.eval(s.Results[0], fr, "")
		case *ast.AssignStmt:
			ev.assign(s, fr)
		case *ast.DeclStmt:
			if gd, ok := s.Decl.(*ast.GenDecl); ok {
				for _, spec := range gd.Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok {
						for i, n := range vs.Names {
							if i < len(vs.Values) {
								fr.vars[n.Name] = ev.eval(vs.Values[i], fr, "")
							}
						}
					}
				}
			}
		case *ast.ExprStmt:
			if c, ok := s.X.(*ast.CallExpr); ok {
				if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "delete" && len(c.Args) == 2 {
					if m, ok := ev.eval(c.Args[0], fr, "").(schemaMap); ok {
						if k, ok := ev.eval(c.Args[1], fr, "").(string); ok {
							delete(m, k)
						}
					}
				}
			}
		default:
			if touchesSchema(ev.text(stmt)) {
				ev.warn(stmt.Pos(), "in %s: skipped a branch or loop that edits a schema", name)
			}
		}
	}
	return nil
}

func touchesSchema(src string) bool {
	for _, s := range []string{".ForceNew", ".Computed", ".Optional", ".Required", ".Schema[", "delete("} {
		if strings.Contains(src, s) {
			return true
		}
	}
	return false
}

func (ev *evaluator) assign(s *ast.AssignStmt, fr *frame) {
	if len(s.Lhs) != len(s.Rhs) {
		return
	}
	for i, lhs := range s.Lhs {
		value := ev.eval(s.Rhs[i], fr, "")
		switch target := lhs.(type) {
		case *ast.Ident:
			fr.vars[target.Name] = value
		case *ast.IndexExpr:
			if m, ok := ev.eval(target.X, fr, "").(schemaMap); ok {
				if k, ok := ev.eval(target.Index, fr, "").(string); ok {
					if f, ok := value.(*field); ok {
						m[k] = f
					}
				}
			}
		case *ast.SelectorExpr:
			switch obj := ev.eval(target.X, fr, "").(type) {
			case *field:
				ev.setField(obj, target.Sel.Name, s.Rhs[i], value, fr)
			case *resource:
				if m, ok := value.(schemaMap); ok && target.Sel.Name == "Schema" {
					obj.Schema = m
				}
			}
		}
	}
}
