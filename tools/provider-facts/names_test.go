package main

import "testing"

// Expected names as the installed @pulumi/gcp typings spell them.
func TestPulumiName(t *testing.T) {
	list := &field{Type: "TypeList"}
	block := &field{Type: "TypeList", MaxItems: 1}
	set := &field{Type: "TypeSet"}
	siblings := schemaMap{
		"secondary_ip_range": list, "allow": set, "deny": set, "cidr_blocks": set, "node_pool": list,
		"node_config": block, "terraform_labels": {Type: "TypeMap"}, "source_ranges": set,
		"master_ipv4_cidr_block": {Type: "TypeString"}, "subnetwork": list, "subnetworks": {Type: "TypeString"},
	}
	for tf, want := range map[string]string{
		"secondary_ip_range":     "secondaryIpRanges",
		"allow":                  "allows",
		"deny":                   "denies",
		"cidr_blocks":            "cidrBlocks",
		"node_pool":              "nodePools",
		"node_config":            "nodeConfig",
		"terraform_labels":       "pulumiLabels",
		"source_ranges":          "sourceRanges",
		"master_ipv4_cidr_block": "masterIpv4CidrBlock",
		// The plural is another field of the block: the bridge keeps the singular.
		"subnetwork": "subnetwork",
	} {
		if got := pulumiName(tf, siblings); got != want {
			t.Errorf("pulumiName(%q) = %q, want %q", tf, got, want)
		}
	}
}

func TestPluralize(t *testing.T) {
	for word, want := range map[string]string{
		"policy": "policies", "address": "addresses", "status": "statuses", "key": "keys",
		"hosts": "hosts", "match": "matches", "series": "series",
	} {
		if got := pluralize(word); got != want {
			t.Errorf("pluralize(%q) = %q, want %q", word, got, want)
		}
	}
}
