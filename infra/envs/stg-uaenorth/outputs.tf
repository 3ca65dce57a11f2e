# What the tooling reads: scripts/kubeconfig.sh (resource group, cluster)
# and `make outputs` (cluster_vars for gitops). The rest: module.platform.
output "resource_group_name" {
  description = "Resource group of the environment."
  value       = module.platform.resource_group_name
}

output "cluster_name" {
  description = "AKS cluster name."
  value       = module.platform.cluster_name
}

output "cluster_vars" {
  description = "Values for gitops/clusters/<env>/cluster-vars.yaml."
  value       = module.platform.cluster_vars
}
