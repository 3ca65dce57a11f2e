# api-renames.sed: the pure renames of the public API (docs/abi.md, "One
# convention across the public API"), as one re-runnable, idempotent GNU sed -E
# script. A program written against an older libplatci migrates with it too.
#
# Run from a tree's root, over the whole tree:
#   git ls-files '*.c' '*.h' '*.md' '*.sh' '*.txt' '*.pod' | xargs sed -i -E -f scripts/api-renames.sed
#
# Idempotent: every pattern is an old name between word boundaries (\b), and
# no new name matches any old pattern (platci_diag_at does not match
# \bplatci_diag_get\b, platci_node_item_at does not match \bplatci_node_item\b,
# platci_node_item_count is never touched), so a second run changes nothing.
# Lines between the markers <!-- renames.sed: keep --> and
# <!-- /renames.sed: keep --> (docs/abi.md's list of what was renamed) are left
# as they are, so that history keeps its old names.
# Signature changes (argument order, types) are not here: they are hand edits.

/<!-- renames\.sed: keep -->/,/<!-- \/renames\.sed: keep -->/b

# gate
s/\bplatci_gate_result_rule\b/platci_gate_result_rule_at/g

# schema, schema_store
s/\bplatci_schema_violations_get\b/platci_schema_violations_at/g
s/\bplatci_schema_store_unsupported\b/platci_schema_store_unsupported_count/g

# kustomize, policy
s/\bplatci_kustomize_problem\b/platci_kustomize_problem_at/g
s/\bplatci_policy_rule_id\b/platci_policy_rule_id_at/g
s/\bplatci_policy_related_kind\b/platci_policy_related_kind_at/g

# diag, findings, git, doc: called everywhere (platci_node_get(node, key) is a
# lookup by key and stays)
s/\bplatci_diag_get\b/platci_diag_at/g
s/\bplatci_findings_get\b/platci_findings_at/g
s/\bplatci_changes_get\b/platci_changes_at/g
s/\bplatci_doc_root\b/platci_doc_root_at/g
s/\bplatci_node_item\b/platci_node_item_at/g

# found in the review of every public header: counts that did not say _count
s/\bplatci_schema_unsupported\b/platci_schema_unsupported_count/g
s/\bplatci_query_length\b/platci_query_step_count/g
s/\bplatci_doc_node_total\b/platci_doc_node_count/g
s/\bplatci_affected_count_kind\b/platci_affected_kind_count/g
s/\bplatci_platform_count_status\b/platci_platform_status_count/g
