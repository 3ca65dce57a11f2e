/* Private parts of the streaming JSON reader, shared by json_stream.c and json_route.c. */
#ifndef PLATCI_JSON_STREAM_INT_H
#define PLATCI_JSON_STREAM_INT_H

#include <stdint.h>

#include "platci/json_stream.h"
#include "platci/query.h"
#include "json_lex.h"

#define PLATCI_JSON_STREAM_MAX_SUBS 128

/* One bit per subscription. __extension__: a GCC and Clang type that ISO C lacks. */
__extension__ typedef unsigned __int128 submask;

/* The index of the lowest bit set, and the number of bits set. */
static inline size_t platci_json_stream__lowest(submask m)
{
	uint64_t lo = (uint64_t)m;
	return lo ? (size_t)__builtin_ctzll(lo) : 64 + (size_t)__builtin_ctzll((uint64_t)(m >> 64));
}

static inline size_t platci_json_stream__count(submask m)
{
	return (size_t)__builtin_popcountll((uint64_t)m) +
	       (size_t)__builtin_popcountll((uint64_t)(m >> 64));
}

/* One step of a pattern, with its key's length so most keys are told apart without memcmp. */
typedef struct step {
	platci_query_step_kind kind;
	const char *key;
	size_t key_len;
	size_t index;
} step;

typedef struct sub {
	platci_query *q;
	step *steps;
	size_t nsteps;
	unsigned int kinds;
	int id;
	platci_json_stream_cb cb;
	void *payload;
} sub;

/* The keys of one object the reader looks into, to refuse a second one. */
typedef struct keyset {
	platci_buf text; /* the keys, each with its NUL */
	uint32_t *slots; /* open addressing: offset into text + 1, 0 when free */
	uint32_t *hashes;
	size_t cap, n;
} keyset;

/* What a key or an index leads to. */
typedef struct route {
	submask here; /* subscriptions that end at the value */
	unsigned int kinds; /* the kinds those ask for, together */
	submask below; /* subscriptions that go on inside it */
	struct dispatch *child; /* the table of a container there, made on first use */
} route;

typedef struct key_route {
	const char *key; /* NULL: a free slot */
	size_t len;
	uint32_t hash;
	route r;
} key_route;

typedef struct index_route {
	size_t index;
	route r;
} index_route;

/*
 * The routes out of one container, for the subscriptions that reach it:
 * one hash lookup per key, whatever the number of subscriptions. Made
 * once per position in the document's shape and kept.
 */
typedef struct dispatch {
	size_t depth; /* the step the container's children match */
	submask mask; /* subscriptions that reach the container */
	route any; /* a key or index no step names */
	key_route *keys; /* open addressing, a power of two */
	size_t keys_cap;
	index_route *idx;
	size_t nidx;
} dispatch;

typedef struct frame {
	int is_map;
	dispatch *d;
	const route *cur; /* the route of the current key (maps) */
	submask exit_mask; /* subscriptions to tell when it closes */
	size_t next_index;
	size_t key_off; /* current key (maps): its offset in keys.text */
	size_t step_index; /* this container's index in its parent array */
	keyset keys;
} frame;

typedef struct build {
	json_t *container;
	char *key;
	size_t key_len, key_alloc;
} build;

struct platci_json_stream {
	platci_json_stream_options opts;
	sub subs[PLATCI_JSON_STREAM_MAX_SUBS];
	size_t nsubs;
	json_lex lex;
	platci_diag *diag;
	int error;
	int root_type;
	size_t total;

	frame *frames;
	size_t nframes, frames_alloc, frames_inited;
	dispatch **tables;
	size_t ntables, tables_alloc;
	route root;

	build *builds;
	size_t nbuilds, builds_alloc;
	submask build_value_subs, build_exit_subs;
	size_t build_index;
	char *build_key_copy; /* step of the value being built */
	size_t build_bytes;

	/* a container delivered as its text (PLATCI_JSON_STREAM_TEXT); build_* say to whom */
	int text_on, text_is_map;
	size_t text_have; /* absolute offset: the bytes before it are in text */
	platci_buf text;
	const char *feed_data; /* the bytes being fed, at absolute offset feed_base */
	size_t feed_base, feed_len;
};

/* json_route.c: which subscriptions a key or an index reaches */
uint32_t platci_json_stream__hash(const char *k, size_t n);
const key_route *platci_json_stream__find_key(const dispatch *d, const char *k, size_t n, uint32_t h);
/* The table for the subscriptions @p mask at @p depth: an existing one, or a new one (NULL: no memory). */
dispatch *platci_json_stream__table(platci_json_stream *s, submask mask, size_t depth);
const route *platci_json_stream__index_route(const frame *f, size_t index);
void platci_json_stream__table_free(dispatch *d);

/* json_route.c: the keys of one object, to refuse a second one */
void platci_json_stream__keys_reset(keyset *ks);
void platci_json_stream__keys_dispose(keyset *ks);
/* 1 when @p k (hash @p h) was in the set already; else adds it at *off and returns 0. */
int platci_json_stream__keys_add(keyset *ks, const char *k, size_t n, uint32_t h, size_t *off);

#endif
