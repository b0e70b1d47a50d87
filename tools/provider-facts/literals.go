package main

import (
	"go/ast"
)

// composite evaluates schema.Resource{...}, schema.Schema{...} and map[string]*schema.Schema{...}
// literals; `elided` names the element type when the literal's own type is left out ("field" inside a
// map[string]*schema.Schema).
func (ev *evaluator) composite(lit *ast.CompositeLit, fr *frame, elided string) any {
	switch {
	case lit.Type == nil && elided == "field", isSchemaPkg(fr, lit.Type, "Schema"):
		return ev.fieldLiteral(lit, fr)
	case isSchemaPkg(fr, lit.Type, "Resource"):
		return ev.resourceLiteral(lit, fr)
	}
	if mt, ok := lit.Type.(*ast.MapType); ok {
		if star, ok := mt.Value.(*ast.StarExpr); ok && isSchemaPkg(fr, star.X, "Schema") {
			m := schemaMap{}
			for _, elt := range lit.Elts {
				kv, ok := elt.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, ok := ev.eval(kv.Key, fr, "").(string)
				if !ok {
					ev.warn(kv.Pos(), "schema key is not a constant string: %s", ev.text(kv.Key))
					continue
				}
				if f, ok := ev.eval(kv.Value, fr, "field").(*field); ok {
					m[key] = f
				} else {
					ev.warn(kv.Value.Pos(), "field %q: could not evaluate %s", key, ev.text(kv.Value))
				}
			}
			return m
		}
	}
	return opaque(ev.text(lit))
}

func (ev *evaluator) resourceLiteral(lit *ast.CompositeLit, fr *frame) *resource {
	r := &resource{Schema: schemaMap{}}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, _ := kv.Key.(*ast.Ident)
		if key == nil {
			continue
		}
		var value any
		switch key.Name {
		case "CustomizeDiff":
			ev.customizeDiff(r, kv.Value)
			continue
		case "Schema":
			value = ev.eval(kv.Value, fr, "")
		case "SchemaFunc":
			value = ev.call(&ast.CallExpr{Fun: kv.Value}, fr)
		default:
			continue
		}
		if m, ok := value.(schemaMap); ok {
			r.Schema = m
		} else {
			ev.warn(kv.Pos(), "resource %s is not a schema map: %s", key.Name, ev.text(kv.Value))
		}
	}
	return r
}

// customizeDiff lists the functions of a CustomizeDiff chain (customdiff.All/Sequence) by their source
// text, and picks out customdiff.ForceNewIfChange(field, condition).
func (ev *evaluator) customizeDiff(r *resource, expr ast.Expr) {
	items := []ast.Expr{expr}
	if call, ok := expr.(*ast.CallExpr); ok {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "All" || sel.Sel.Name == "Sequence") {
			items = call.Args
		}
	}
	for _, item := range items {
		r.CustomizeDiff = append(r.CustomizeDiff, ev.text(item))
		call, ok := item.(*ast.CallExpr)
		if !ok || len(call.Args) != 2 {
			continue
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "ForceNewIfChange" {
			if lit, ok := call.Args[0].(*ast.BasicLit); ok {
				path, _ := ev.eval(lit, nil, "").(string)
				if r.ForceNewIf == nil {
					r.ForceNewIf = map[string]string{}
				}
				r.ForceNewIf[path] = ev.text(call.Args[1])
			}
		}
	}
}

func (ev *evaluator) fieldLiteral(lit *ast.CompositeLit, fr *frame) *field {
	f := &field{Pos: lit.Pos()}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if key, ok := kv.Key.(*ast.Ident); ok {
			ev.setField(f, key.Name, kv.Value, nil, fr)
		}
	}
	return f
}

// setField records one key of a schema.Schema; `value` is the already evaluated right-hand side when the
// caller has it (an assignment), else it is evaluated here.
func (ev *evaluator) setField(f *field, key string, expr ast.Expr, value any, fr *frame) {
	if value == nil {
		switch key {
		case "Optional", "Required", "Computed", "ForceNew", "Sensitive", "MaxItems", "Elem":
			value = ev.eval(expr, fr, "")
		}
	}
	switch key {
	case "Type":
		if sel, ok := expr.(*ast.SelectorExpr); ok {
			f.Type = sel.Sel.Name
		} else {
			f.Type = ev.text(expr)
		}
	case "Optional", "Required", "Computed", "ForceNew", "Sensitive":
		b, ok := value.(bool)
		if !ok {
			ev.warn(expr.Pos(), "%s is not a constant: %s", key, ev.text(expr))
		}
		switch key {
		case "Optional":
			f.Optional = b
		case "Required":
			f.Required = b
		case "Computed":
			f.Computed = b
		case "ForceNew":
			f.ForceNew = b
		case "Sensitive":
			f.Sensitive = b
		}
	case "MaxItems":
		if n, ok := value.(int); ok {
			f.MaxItems = n
		} else {
			ev.warn(expr.Pos(), "MaxItems is not a literal: %s", ev.text(expr))
		}
	case "Elem":
		switch elem := value.(type) {
		case *resource, *field:
			f.Elem = elem
		default:
			ev.warn(expr.Pos(), "Elem is neither a resource nor a schema: %s", ev.text(expr))
		}
	case "DiffSuppressFunc":
		f.DiffSuppressFunc = ev.text(expr)
	case "StateFunc":
		f.StateFunc = ev.text(expr)
	case "Default":
		f.Default = ev.text(expr)
	case "Deprecated":
		f.Deprecated = ev.text(expr)
	}
}
