/* The violation list's layout and the document-path formatter. */
#ifndef PLATCI_SRC_SCHEMA_VIOLATION_H
#define PLATCI_SRC_SCHEMA_VIOLATION_H

#include "platci/buf.h"
#include "platci/schema.h"
#include "util/arena.h"

struct platci_schema_violations {
	platci_schema_violation *items;
	size_t n, alloc;
	platci_arena arena; /* paths, messages, sources */
};

/* One step of a document path: a mapping key or a sequence index. */
typedef struct platci_schema_seg {
	const char *key;
	size_t len;
	size_t index;
	int is_index;
	const platci_node *key_node; /* the key's node, for positions */
} platci_schema_seg;

/* Copies @p v (and its strings) into the list. @return 0 or PLATCI_ENOMEM. */
int platci_schema__violation_add(platci_schema_violations *list, const platci_schema_violation *v);

/* Appends `spec.containers[0].image` (keys that are not plain words as `["a.b/c"]`). */
void platci_schema__path_format(platci_buf *out, const platci_schema_seg *segs, size_t n);

#endif
