module istio-multicluster/tools/provider-facts

go 1.22
