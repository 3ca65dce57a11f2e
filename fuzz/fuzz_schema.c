/*
 * Fuzzes the schema compiler and validator: any schema and any instance must
 * compile and validate, or fail with an error, never hang or crash.
 * Input: one mode byte (bit 0 Kubernetes dialect, bit 1 structural, bit 2
 * strict), then the schema (JSON), a line "---", then the instance (YAML).
 */
#include <stdint.h>
#include <string.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	platci_schema_options so = PLATCI_SCHEMA_OPTIONS_INIT;
	platci_schema_check_options co = PLATCI_SCHEMA_CHECK_OPTIONS_INIT;
	platci_doc_options dopt = PLATCI_DOC_OPTIONS_INIT;
	platci_doc *sd = NULL, *inst = NULL;
	platci_schema *s = NULL;
	platci_schema_violations *v = NULL;
	const char *text = (const char *)data + 1, *sep = NULL;
	size_t len;

	if (size < 1)
		return 0;
	len = size - 1;
	so.dialect = (data[0] & 1) ? PLATCI_SCHEMA_KUBERNETES : PLATCI_SCHEMA_DRAFT4;
	so.structural = (data[0] & 2) != 0;
	so.max_depth = 64;
	so.max_nodes = 20000;
	co.strict = (data[0] & 4) != 0;
	co.max_violations = 50;
	dopt.max_depth = 64;
	dopt.max_alias_nodes = 10000;
	for (size_t i = 0; i + 5 <= len && !sep; i++)
		if (!memcmp(text + i, "\n---\n", 5))
			sep = text + i;
	if (platci_doc_load_json_buffer(&sd, "schema.json", text, sep ? (size_t)(sep - text) : len,
		    &dopt, NULL) == 0 &&
		platci_schema_compile(&s, platci_doc_root_at(sd, 0), NULL, "schema.json", &so, NULL) == 0 &&
		sep && platci_schema_violations_new(&v) == 0 &&
		platci_doc_load_buffer(&inst, "instance.yaml", sep + 5,
			len - (size_t)(sep + 5 - text), &dopt, NULL) == 0) {
		for (size_t i = 0; i < platci_doc_count(inst); i++) {
			platci_schema_validate(v, s, platci_doc_root_at(inst, i), "instance.yaml", &co);
			platci_schema_validate(NULL, s, platci_doc_root_at(inst, i), NULL, &co);
		}
		for (size_t i = 0; i < platci_schema_violations_count(v); i++) {
			char line[256];
			platci_schema_violation_format(line, sizeof(line),
				platci_schema_violations_at(v, i));
		}
	}
	platci_schema_violations_free(v);
	platci_schema_free(s);
	platci_doc_free(sd);
	platci_doc_free(inst);
	return 0;
}
