package main

// Terraform field names -> the property names @pulumi/gcp exposes. The rules are the bridge's
// (pulumi-terraform-bridge pkg/tfbridge naming: a list or set that is not MaxItems=1 gets a plural name
// unless that plural is another field of the same block; snake_case becomes camelCase), plus the one
// rename pulumi-gcp applies to every resource (provider/labels.go: terraform_labels -> pulumiLabels).

import (
	"regexp"
	"strings"
)

func isCollection(f *field) bool { return f.Type == "TypeList" || f.Type == "TypeSet" }

// maxItemsOne: a list or set of at most one element, which Pulumi flattens to a single object.
func maxItemsOne(f *field) bool { return isCollection(f) && f.MaxItems == 1 }

// pulumiName is the Pulumi property name of field `name` within the block `siblings`.
func pulumiName(name string, siblings schemaMap) string {
	if name == "terraform_labels" {
		return "pulumiLabels"
	}
	f := siblings[name]
	if f != nil && isCollection(f) && f.MaxItems != 1 {
		if candidate := pluralize(name); siblings[candidate] == nil {
			name = candidate
		}
	}
	return camelCase(name)
}

func camelCase(name string) string {
	var b strings.Builder
	started, upperNext := false, false
	for _, c := range name {
		if c == '_' && started {
			upperNext = true
			continue
		}
		started = true
		if upperNext && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		upperNext = false
		b.WriteRune(c)
	}
	if strings.HasSuffix(name, "_") {
		b.WriteByte('_')
	}
	return b.String()
}

type pluralRule struct {
	pattern *regexp.Regexp
	replace string
}

func rule(pattern, replace string) pluralRule {
	return pluralRule{regexp.MustCompile("(?i)" + pattern), replace}
}

// English plural rules in the order the bridge's inflector tries them (most specific first); the last
// word of a snake_case name is the one that changes.
var pluralRules = []pluralRule{
	rule(`(quiz)$`, "${1}zes"),
	rule(`^(oxen)$`, "${1}"),
	rule(`^(ox)$`, "${1}en"),
	rule(`(m|l)ice$`, "${1}ice"),
	rule(`(m|l)ouse$`, "${1}ice"),
	rule(`(matr|vert|ind)(ix|ex)$`, "${1}ices"),
	rule(`(x|ch|ss|sh)$`, "${1}es"),
	rule(`([^aeiouy]|qu)y$`, "${1}ies"),
	rule(`(hive)$`, "${1}s"),
	rule(`(?:([^f])fe|([lr])f)$`, "${1}${2}ves"),
	rule(`sis$`, "ses"),
	rule(`([ti])a$`, "${1}a"),
	rule(`([ti])um$`, "${1}a"),
	rule(`(buffal|tomat)o$`, "${1}oes"),
	rule(`(bu)s$`, "${1}ses"),
	rule(`(alias|status)$`, "${1}es"),
	rule(`(octop|vir)i$`, "${1}i"),
	rule(`(octop|vir)us$`, "${1}i"),
	rule(`^(ax|test)is$`, "${1}es"),
	rule(`s$`, "s"),
	rule(`$`, "s"),
}

var uncountable = map[string]bool{
	"equipment": true, "information": true, "rice": true, "money": true, "species": true,
	"series": true, "fish": true, "sheep": true, "jeans": true, "police": true,
}

func pluralize(name string) string {
	if uncountable[strings.ToLower(name)] {
		return name
	}
	for _, r := range pluralRules {
		if r.pattern.MatchString(name) {
			return r.pattern.ReplaceAllString(name, r.replace)
		}
	}
	return name
}
