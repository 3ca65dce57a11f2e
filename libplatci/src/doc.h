/* Private layout of the document model, shared by the loader and the accessors. */
#ifndef PLATCI_SRC_DOC_H
#define PLATCI_SRC_DOC_H

#include "platci/doc.h"
#include "util/arena.h"

struct platci_node {
	unsigned char type; /* platci_node_type */
	unsigned char style; /* platci_node_style */
	platci_pos start;
	platci_pos end;
	const char *tag;
	const char *value; /* scalars */
	size_t len; /* scalar length, or item count (pairs for mappings) */
	platci_node **items; /* sequence items, or key,value,key,value... */
	size_t weight; /* nodes in this subtree, aliases expanded */
};

struct platci_doc {
	platci_arena arena;
	char *name;
	char *source; /* the bytes, NUL-terminated (kept for in-place edits) */
	size_t source_len;
	platci_node **roots;
	size_t count;
	size_t nodes;
};

/* Loads from @p data (NUL-terminated, from malloc), taking ownership of it. */
int platci_doc__load_owned(platci_doc **out, const char *name, char *data, size_t len,
	const platci_doc_options *opts, platci_diag *diag);

#endif
