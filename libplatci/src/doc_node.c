#include <string.h>

#include "doc.h"
#include "util/common.h"
#include "util/banned.h"

size_t platci_doc_count(const platci_doc *doc)
{
	return doc ? doc->count : 0;
}

const platci_node *platci_doc_root_at(const platci_doc *doc, size_t i)
{
	return doc && i < doc->count ? doc->roots[i] : NULL;
}

const char *platci_doc_name(const platci_doc *doc)
{
	return doc && doc->name ? doc->name : "";
}

const char *platci_doc_source(const platci_doc *doc, size_t *len_out)
{
	if (len_out)
		*len_out = doc ? doc->source_len : 0;
	return doc ? doc->source : NULL;
}

size_t platci_doc_node_count(const platci_doc *doc)
{
	return doc ? doc->nodes : 0;
}

platci_node_type platci_node_type_of(const platci_node *node)
{
	return node ? (platci_node_type)node->type : (platci_node_type)0;
}

platci_node_style platci_node_style_of(const platci_node *node)
{
	return node ? (platci_node_style)node->style : PLATCI_STYLE_PLAIN;
}

platci_pos platci_node_start(const platci_node *node)
{
	platci_pos none = { 0, 0, 0 };
	return node ? node->start : none;
}

platci_pos platci_node_end(const platci_node *node)
{
	platci_pos none = { 0, 0, 0 };
	return node ? node->end : none;
}

const char *platci_node_tag(const platci_node *node)
{
	return node ? node->tag : NULL;
}

const char *platci_node_scalar(const platci_node *node, size_t *len_out)
{
	if (!node || node->type != PLATCI_NODE_SCALAR) {
		if (len_out)
			*len_out = 0;
		return NULL;
	}
	if (len_out)
		*len_out = node->len;
	return node->value;
}

int platci_node_is(const platci_node *node, const char *s)
{
	return node && node->type == PLATCI_NODE_SCALAR && strcmp(node->value, s) == 0;
}

int platci_node_is_null(const platci_node *node)
{
	const char *v;

	if (!node)
		return 1;
	if (node->type != PLATCI_NODE_SCALAR || node->style != PLATCI_STYLE_PLAIN || node->tag)
		return 0;
	v = node->value;
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL");
}

size_t platci_node_count(const platci_node *node)
{
	return node && node->type != PLATCI_NODE_SCALAR ? node->len : 0;
}

const platci_node *platci_node_item_at(const platci_node *node, size_t i)
{
	return node && node->type == PLATCI_NODE_SEQUENCE && i < node->len ? node->items[i] : NULL;
}

const platci_node *platci_node_key_at(const platci_node *node, size_t i)
{
	return node && node->type == PLATCI_NODE_MAPPING && i < node->len ? node->items[2 * i] : NULL;
}

const platci_node *platci_node_value_at(const platci_node *node, size_t i)
{
	return node && node->type == PLATCI_NODE_MAPPING && i < node->len ? node->items[2 * i + 1] : NULL;
}

const platci_node *platci_node_get_key(const platci_node *node, const char *key)
{
	if (!node || node->type != PLATCI_NODE_MAPPING)
		return NULL;
	for (size_t i = 0; i < node->len; i++) {
		const platci_node *k = node->items[2 * i];
		if (k->type == PLATCI_NODE_SCALAR && strcmp(k->value, key) == 0)
			return k;
	}
	return NULL;
}

static const platci_node *node_get_depth(const platci_node *node, const char *key, int depth)
{
	const platci_node *merge = NULL;

	if (!node || node->type != PLATCI_NODE_MAPPING || depth > 32)
		return NULL;
	for (size_t i = 0; i < node->len; i++) {
		const platci_node *k = node->items[2 * i];
		if (k->type != PLATCI_NODE_SCALAR)
			continue;
		if (strcmp(k->value, key) == 0)
			return node->items[2 * i + 1];
		if (k->style == PLATCI_STYLE_PLAIN && strcmp(k->value, "<<") == 0)
			merge = node->items[2 * i + 1];
	}
	if (!merge)
		return NULL;
	if (merge->type == PLATCI_NODE_MAPPING)
		return node_get_depth(merge, key, depth + 1);
	/* A sequence of merged mappings: earlier ones win. */
	for (size_t i = 0; merge->type == PLATCI_NODE_SEQUENCE && i < merge->len; i++) {
		const platci_node *v = node_get_depth(merge->items[i], key, depth + 1);
		if (v)
			return v;
	}
	return NULL;
}

const platci_node *platci_node_get(const platci_node *node, const char *key)
{
	return node_get_depth(node, key, 0);
}

const char *platci_node_get_str(const platci_node *node, const char *key)
{
	const platci_node *v = platci_node_get(node, key);
	return v && v->type == PLATCI_NODE_SCALAR ? v->value : NULL;
}

const platci_node *platci_node_dig(const platci_node *node, const char *dotted)
{
	char key[256];

	while (node && *dotted) {
		const char *dot = strchr(dotted, '.');
		size_t n = dot ? (size_t)(dot - dotted) : strlen(dotted);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, dotted, n);
		key[n] = '\0';
		node = platci_node_get(node, key);
		dotted += n + (dot ? 1 : 0);
	}
	return node;
}
