package main

import (
	"os"
	"path/filepath"
	"testing"
)

// A provider-shaped module: a registration, a helper returning a block, a package variable merged
// with MergeSchemas, a parameterised helper and a field edited after construction.
const registered = `package widget

import (
	"example.com/provider/google-beta/registry"
	"example.com/provider/google-beta/tpgresource"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

var base = map[string]*schema.Schema{
	"name": {Type: schema.TypeString, Required: true, ForceNew: true},
}

func inner(forceNew bool) *schema.Schema {
	return &schema.Schema{
		Type: schema.TypeList, Optional: true, Computed: true, ForceNew: forceNew, MaxItems: 1,
		Elem: &schema.Resource{Schema: map[string]*schema.Schema{
			"service_account": {Type: schema.TypeString, Optional: true, DiffSuppressFunc: tpgresource.CompareSelfLinkOrResourceName},
		}},
	}
}

func ResourceWidget() *schema.Resource {
	r := &schema.Resource{
		Schema: tpgresource.MergeSchemas(base, map[string]*schema.Schema{
			"node_config": inner(true),
			"tags":        {Type: schema.TypeSet, Optional: true, Elem: &schema.Schema{Type: schema.TypeString}},
		}),
	}
	r.Schema["tags"].ForceNew = true
	return r
}

func init() {
	registry.Schema{Name: "google_widget", Type: registry.SchemaTypeResource, Schema: ResourceWidget()}.Register()
}
`

func TestEvaluatesAProviderShapedSchema(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "google-beta", "services", "widget")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "go.mod"), "module example.com/provider\n")
	write(filepath.Join(dir, "widget.go"), registered)
	tr, err := newTree(root)
	if err != nil {
		t.Fatal(err)
	}
	expr, f, err := tr.registration("google_widget")
	if err != nil {
		t.Fatal(err)
	}
	ev := &evaluator{tree: tr}
	r, ok := ev.eval(expr, &frame{vars: map[string]any{}, file: f}, "").(*resource)
	if !ok {
		t.Fatalf("not a resource: %v", ev.warnings)
	}
	facts := map[string]fact{}
	flatten(tr, r.Schema, "", "", facts)
	check := func(path string, want fact) {
		got := facts[path]
		got.Source = ""
		if got != want {
			t.Errorf("%s: got %+v, want %+v", path, got, want)
		}
	}
	check("name", fact{Terraform: "name", Type: "string", Required: true, ForceNew: true})
	check("nodeConfig", fact{Terraform: "node_config", Type: "list", Optional: true, Computed: true, ForceNew: true, MaxItemsOne: true})
	check("nodeConfig.serviceAccount", fact{Terraform: "node_config.service_account", Type: "string", Optional: true,
		DiffSuppressFunc: "tpgresource.CompareSelfLinkOrResourceName"})
	check("tags", fact{Terraform: "tags", Type: "set", Element: "string", Optional: true, ForceNew: true})
	if len(facts) != 4 || len(ev.warnings) != 0 {
		t.Errorf("facts %v, warnings %v", facts, ev.warnings)
	}
}
