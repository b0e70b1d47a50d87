// Command provider-facts reads the Terraform Google (beta) provider's source, the upstream that
// @pulumi/gcp bridges, and writes the schema flags of every field of the resource types this project
// creates, keyed by the Pulumi property path. It parses Go syntax only (go/parser): the provider is
// neither built nor imported.
//
//	go -C tools/provider-facts run . -upstream-tag v7.45.0 -upstream-commit <sha> -pulumi-gcp 9.37.0 \
//	    <checkout of hashicorp/terraform-provider-google-beta> > offline/engine/facts/gcp-schema.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// resourceTypes: the Terraform type behind each Pulumi token the program registers, and what
// pulumi-gcp's own provider/resources.go adds on top of the upstream schema for it.
var resourceTypes = []struct {
	terraform, token, pulumiOverrides string
}{
	{"google_container_cluster", "gcp:container/cluster:Cluster", ""},
	{"google_container_node_pool", "gcp:container/nodePool:NodePool", ""},
	{"google_compute_network", "gcp:compute/network:Network", "name is auto-named (lowercase) when unset"},
	{"google_compute_subnetwork", "gcp:compute/subnetwork:Subnetwork", "name is auto-named (lowercase) when unset"},
	{"google_compute_firewall", "gcp:compute/firewall:Firewall", ""},
	{"google_compute_address", "gcp:compute/address:Address", ""},
	{"google_compute_router", "gcp:compute/router:Router", "name is auto-named (lowercase) when unset"},
	{"google_compute_router_nat", "gcp:compute/routerNat:RouterNat",
		"name is auto-named (lowercase) when unset; endpointTypes read back as [ENDPOINT_TYPE_VM] when absent from state"},
	{"google_service_account", "gcp:serviceaccount/account:Account", "accountId is auto-named when unset"},
	{"google_project_iam_member", "gcp:projects/iAMMember:IAMMember", "deleteBeforeReplace: true"},
	{"google_gke_hub_membership", "gcp:gkehub/membership:Membership", ""},
}

// fact is what the JSON says of one field; flags that are false are left out.
type fact struct {
	Terraform        string `json:"tf"`
	Type             string `json:"type"`
	Element          string `json:"element,omitempty"`
	Optional         bool   `json:"optional,omitempty"`
	Required         bool   `json:"required,omitempty"`
	Computed         bool   `json:"computed,omitempty"`
	ForceNew         bool   `json:"forceNew,omitempty"`
	Sensitive        bool   `json:"sensitive,omitempty"`
	MaxItemsOne      bool   `json:"maxItemsOne,omitempty"`
	MaxItems         int    `json:"maxItems,omitempty"`
	DiffSuppressFunc string `json:"diffSuppressFunc,omitempty"`
	StateFunc        string `json:"stateFunc,omitempty"`
	Default          string `json:"default,omitempty"`
	Deprecated       bool   `json:"deprecated,omitempty"`
	Source           string `json:"source"`
}

type resourceFacts struct {
	Token           string `json:"token"`
	Source          string `json:"source"`
	PulumiOverrides string `json:"pulumiOverrides,omitempty"`
	// CustomizeDiff: the plan-time functions the provider runs after the field-by-field diff.
	CustomizeDiff []string `json:"customizeDiff,omitempty"`
	// ForceNewIf: Pulumi path -> condition under which its change replaces (customdiff.ForceNewIfChange).
	ForceNewIf map[string]string `json:"forceNewIf,omitempty"`
	Fields     map[string]fact   `json:"fields"`
}

type header struct {
	UpstreamRepository string `json:"upstreamRepository"`
	UpstreamTag        string `json:"upstreamTag"`
	UpstreamCommit     string `json:"upstreamCommit"`
	PulumiGcpVersion   string `json:"pulumiGcpVersion"`
	Note               string `json:"note,omitempty"`
	Generated          string `json:"generated"`
	Command            string `json:"command"`
}

type output struct {
	Source    header                   `json:"source"`
	Resources map[string]resourceFacts `json:"resources"`
}

func main() {
	tag := flag.String("upstream-tag", "", "tag of the provider checkout (recorded)")
	commit := flag.String("upstream-commit", "", "commit of the provider checkout (recorded)")
	pulumiGcp := flag.String("pulumi-gcp", "", "the @pulumi/gcp version these facts are for (recorded)")
	note := flag.String("note", "", "anything a reader must know about the upstream version (recorded)")
	date := flag.String("date", time.Now().UTC().Format("2006-01-02"), "generation date (recorded)")
	flag.Parse()
	if flag.NArg() != 1 || *tag == "" || *commit == "" || *pulumiGcp == "" {
		fmt.Fprintln(os.Stderr, "usage: provider-facts -upstream-tag T -upstream-commit C -pulumi-gcp V [-note N] <provider checkout>")
		os.Exit(2)
	}
	t, err := newTree(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	ev := &evaluator{tree: t}
	out := output{
		Source: header{
			UpstreamRepository: "hashicorp/terraform-provider-google-beta",
			UpstreamTag:        *tag,
			UpstreamCommit:     *commit,
			PulumiGcpVersion:   *pulumiGcp,
			Note:               *note,
			Generated:          *date,
			Command:            command(),
		},
		Resources: map[string]resourceFacts{},
	}
	for _, rt := range resourceTypes {
		expr, f, err := t.registration(rt.terraform)
		if err != nil {
			fail(err)
		}
		r, ok := ev.eval(expr, &frame{vars: map[string]any{}, file: f}, "").(*resource)
		if !ok || len(r.Schema) == 0 {
			fail(fmt.Errorf("%s: %s does not evaluate to a resource schema", rt.terraform, ev.text(expr)))
		}
		fields := map[string]fact{}
		flatten(t, r.Schema, "", "", fields)
		var forceNewIf map[string]string
		for tfPath, condition := range r.ForceNewIf {
			if forceNewIf == nil {
				forceNewIf = map[string]string{}
			}
			forceNewIf[pulumiPath(r.Schema, tfPath)] = condition
		}
		out.Resources[rt.terraform] = resourceFacts{
			Token:           rt.token,
			Source:          t.position(expr.Pos()),
			PulumiOverrides: rt.pulumiOverrides,
			CustomizeDiff:   r.CustomizeDiff,
			ForceNewIf:      forceNewIf,
			Fields:          fields,
		}
	}
	for _, w := range ev.warnings {
		fmt.Fprintln(os.Stderr, "warning:", w)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fail(err)
	}
}

// flatten writes one fact per field path: MaxItems=1 blocks become objects (their fields are
// `block.field`), and the fields of list elements are `list.field` (no index).
func flatten(t *tree, block schemaMap, pulumiPrefix, tfPrefix string, into map[string]fact) {
	names := make([]string, 0, len(block))
	for name := range block {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := block[name]
		path := join(pulumiPrefix, pulumiName(name, block))
		tfPath := join(tfPrefix, name)
		ft := fact{
			Terraform:        tfPath,
			Type:             strings.ToLower(strings.TrimPrefix(f.Type, "Type")),
			Optional:         f.Optional,
			Required:         f.Required,
			Computed:         f.Computed,
			ForceNew:         f.ForceNew,
			Sensitive:        f.Sensitive,
			MaxItemsOne:      maxItemsOne(f),
			DiffSuppressFunc: f.DiffSuppressFunc,
			StateFunc:        f.StateFunc,
			Default:          f.Default,
			Deprecated:       f.Deprecated != "",
			Source:           t.position(f.Pos),
		}
		if f.MaxItems > 1 {
			ft.MaxItems = f.MaxItems
		}
		switch elem := f.Elem.(type) {
		case *field:
			ft.Element = strings.ToLower(strings.TrimPrefix(elem.Type, "Type"))
		case *resource:
			flatten(t, elem.Schema, path, tfPath, into)
		}
		into[path] = ft
	}
}

// pulumiPath translates a Terraform path (`a.0.b` or `a.b`) to the Pulumi path of the same field.
func pulumiPath(block schemaMap, tfPath string) string {
	var out []string
	for _, segment := range strings.Split(tfPath, ".") {
		if _, err := strconv.Atoi(segment); err == nil {
			continue
		}
		out = append(out, pulumiName(segment, block))
		f := block[segment]
		if f == nil {
			break
		}
		if r, ok := f.Elem.(*resource); ok {
			block = r.Schema
		}
	}
	return strings.Join(out, ".")
}

// command is how this output was made, with the checkout's path left out (it is a scratch directory).
func command() string {
	args := []string{"go -C tools/provider-facts run ."}
	flag.Visit(func(f *flag.Flag) {
		if f.Name != "date" {
			args = append(args, "-"+f.Name+" "+strconv.Quote(f.Value.String()))
		}
	})
	return strings.Join(append(args, "<checkout>"), " ")
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "provider-facts:", err)
	os.Exit(1)
}
