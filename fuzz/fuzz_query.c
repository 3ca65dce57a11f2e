/*
 * Fuzzes the query language: the first line is the expression, the rest a
 * document evaluated both as YAML nodes and as a jansson value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_node(const platci_node *n, void *payload)
{
	(void)n;
	(*(size_t *)payload)++;
	return 0;
}

static int count_json(json_t *v, void *payload)
{
	(void)v;
	(*(size_t *)payload)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t elen = nl ? (size_t)(nl - (const char *)data) : size;
	const char *rest = nl ? nl + 1 : "";
	size_t rlen = nl ? size - elen - 1 : 0;
	char *expr = malloc(elen + 1);
	platci_query *q = NULL;
	platci_doc_options dopt = PLATCI_DOC_OPTIONS_INIT;
	platci_doc *doc = NULL;
	json_t *js = NULL;
	size_t n = 0;

	if (!expr)
		return 0;
	memcpy(expr, data, elen);
	expr[elen] = '\0';
	if (platci_query_compile(&q, expr, NULL) == 0) {
		for (size_t i = 0; i < platci_query_step_count(q); i++)
			if (!platci_query_step_at(q, i))
				abort();
		dopt.max_depth = 64;
		dopt.max_alias_nodes = 10000;
		if (platci_doc_load_buffer(&doc, "fuzz.yaml", rest, rlen, &dopt, NULL) == 0)
			for (size_t d = 0; d < platci_doc_count(doc); d++) {
				platci_query_nodes(q, platci_doc_root_at(doc, d), count_node, &n);
				platci_query_first_node(q, platci_doc_root_at(doc, d));
			}
		if ((js = json_loadb(rest, rlen, JSON_DECODE_ANY, NULL)) != NULL) {
			platci_query_json(q, js, count_json, &n);
			platci_query_first_json(q, js);
		}
	}
	json_decref(js);
	platci_doc_free(doc);
	platci_query_free(q);
	free(expr);
	return 0;
}
