/* Fuzzes the YAML document model: any bytes must load or fail cleanly. */
#include <stdint.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	platci_doc *doc = NULL;
	platci_diag *diag = NULL;
	platci_doc_options opts = PLATCI_DOC_OPTIONS_INIT;

	opts.max_alias_nodes = 10000;
	opts.max_depth = 64;
	if (platci_diag_new(&diag) < 0)
		return 0;
	if (platci_doc_load_buffer(&doc, "fuzz.yaml", (const char *)data, size, &opts, diag) == 0) {
		/* Walk what was built so a bad tree is touched. */
		for (size_t i = 0; i < platci_doc_count(doc); i++) {
			const platci_node *root = platci_doc_root_at(doc, i);
			for (size_t k = 0; k < platci_node_count(root); k++) {
				platci_node_key_at(root, k);
				platci_node_item_at(root, k);
			}
			platci_node_get(root, "metadata");
		}
	}
	platci_doc_free(doc);
	platci_diag_free(diag);
	return 0;
}
