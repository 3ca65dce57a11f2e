/*
 * The plan summary model: action lists, counts, per-type tallies and the
 * kept entries with their redacted attribute changes. The reader
 * (tfplan_read.c) feeds it; the renderers (tfplan_render.c) read it.
 */
#include <stdio.h>
#include <string.h>

#include "platci/report.h"
#include "tfplan_int.h"
#include "util/common.h"
#include "util/strmap.h"
#include "util/banned.h"

#define VALUE_SHOWN 160

/* ---- actions ----------------------------------------------------------------- */

platci_tfplan_action platci_tfplan__action_of(const char *a0, const char *a1, size_t n)
{
	if (n == 1 && a0) {
		if (!strcmp(a0, "no-op"))
			return PLATCI_TFPLAN_NOOP;
		if (!strcmp(a0, "create"))
			return PLATCI_TFPLAN_CREATE;
		if (!strcmp(a0, "read"))
			return PLATCI_TFPLAN_READ;
		if (!strcmp(a0, "update"))
			return PLATCI_TFPLAN_UPDATE;
		if (!strcmp(a0, "delete"))
			return PLATCI_TFPLAN_DELETE;
		if (!strcmp(a0, "forget"))
			return PLATCI_TFPLAN_FORGET;
	} else if (n == 2 && a0 && a1) {
		if (!strcmp(a0, "delete") && !strcmp(a1, "create"))
			return PLATCI_TFPLAN_DELETE_THEN_CREATE;
		if (!strcmp(a0, "create") && !strcmp(a1, "delete"))
			return PLATCI_TFPLAN_CREATE_THEN_DELETE;
		if (!strcmp(a0, "create") && !strcmp(a1, "forget"))
			return PLATCI_TFPLAN_CREATE_THEN_FORGET;
	}
	return PLATCI_TFPLAN_OTHER;
}

platci_tfplan_action platci_tfplan__parse_actions(const json_t *list, char *text, size_t size)
{
	const char *a0 = NULL, *a1 = NULL;
	size_t n = json_is_array(list) ? json_array_size(list) : 0, len = 0;

	text[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(list, i));
		if (!s)
			continue;
		if (i == 0)
			a0 = s;
		else if (i == 1)
			a1 = s;
		if (len < size)
			len += (size_t)snprintf(text + len, size - len, "%s%s", i ? ", " : "", s);
	}
	return platci_tfplan__action_of(a0, a1, n);
}

const char *platci_tfplan_action_name(platci_tfplan_action a)
{
	switch (a) {
	case PLATCI_TFPLAN_NOOP:
		return "no-op";
	case PLATCI_TFPLAN_CREATE:
		return "create";
	case PLATCI_TFPLAN_READ:
		return "read";
	case PLATCI_TFPLAN_UPDATE:
		return "update";
	case PLATCI_TFPLAN_DELETE:
		return "delete";
	case PLATCI_TFPLAN_DELETE_THEN_CREATE:
		return "replace (delete first)";
	case PLATCI_TFPLAN_CREATE_THEN_DELETE:
		return "replace (create first)";
	case PLATCI_TFPLAN_FORGET:
		return "forget";
	case PLATCI_TFPLAN_CREATE_THEN_FORGET:
		return "create, then forget";
	case PLATCI_TFPLAN_OTHER:
		break;
	}
	return "other";
}

int platci_tfplan_action_destroys(platci_tfplan_action a)
{
	return a == PLATCI_TFPLAN_DELETE || a == PLATCI_TFPLAN_DELETE_THEN_CREATE ||
	       a == PLATCI_TFPLAN_CREATE_THEN_DELETE;
}

void platci_tfplan__count_action(platci_tfplan_counts *c, platci_tfplan_action a)
{
	switch (a) {
	case PLATCI_TFPLAN_NOOP:
		c->noop++;
		break;
	case PLATCI_TFPLAN_CREATE:
		c->add++;
		break;
	case PLATCI_TFPLAN_READ:
		c->read++;
		break;
	case PLATCI_TFPLAN_UPDATE:
		c->change++;
		break;
	case PLATCI_TFPLAN_DELETE:
		c->destroy++;
		break;
	case PLATCI_TFPLAN_DELETE_THEN_CREATE:
	case PLATCI_TFPLAN_CREATE_THEN_DELETE:
		c->add++;
		c->destroy++;
		c->replace++;
		break;
	case PLATCI_TFPLAN_FORGET:
		c->forget++;
		break;
	case PLATCI_TFPLAN_CREATE_THEN_FORGET:
		c->add++;
		c->forget++;
		break;
	case PLATCI_TFPLAN_OTHER:
		c->other++;
		break;
	}
}

/* ---- diffs ------------------------------------------------------------------------ */

/* The change's own secrets, masked wherever an unmarked leaf repeats them. */
typedef struct masked_diff {
	tfplan_matcher *hidden;
	platci_value_change_cb cb;
	void *payload;
	platci_buf text;
} masked_diff;

static int holds_hidden(masked_diff *m, const char *v)
{
	if (!v || strcmp(v, PLATCI_UNKNOWN) == 0)
		return 0;
	platci_buf_clear(&m->text);
	if (platci_buf_puts(&m->text, v) < 0)
		return m->text.error;
	return platci_tfplan__matcher_scrub(m->hidden, &m->text);
}

static int emit_masked(const platci_value_change *ch, void *payload)
{
	masked_diff *m = payload;
	platci_value_change c = *ch;
	int b = 0, a = 0;

	if (!ch->sensitive && m->hidden &&
		((b = holds_hidden(m, ch->before)) < 0 || (a = holds_hidden(m, ch->after)) < 0))
		return b < 0 ? b : a;
	if (b || a) {
		c.before = ch->before ? PLATCI_REDACTED : NULL;
		c.after = ch->after && strcmp(ch->after, PLATCI_UNKNOWN) != 0 ? PLATCI_REDACTED : ch->after;
		c.sensitive = 1;
	}
	return m->cb(&c, m->payload);
}

int platci_tfplan_change_diff(const platci_tfplan_change *change, platci_value_change_cb cb, void *payload)
{
	const json_t *c, *before, *after;
	json_t *empty = NULL, *filled = NULL;
	int error;

	PLATCI_ASSERT_ARG(change && cb);
	c = change->change;
	if (!json_is_object(c))
		return 0;
	before = json_object_get(c, "before");
	after = json_object_get(c, "after");
	/* A created or deleted object is shown attribute by attribute, not as one blob. */
	if ((json_is_object(after) && (!before || json_is_null(before))) ||
		(json_is_object(before) && (!after || json_is_null(after)))) {
		if (!(empty = json_object()))
			return PLATCI_ENOMEM;
		if (!before || json_is_null(before))
			before = empty;
		else
			after = empty;
	}
	/* Attributes known only after apply are absent from `after`: give them a
	 * slot so they show as "(known after apply)", as Terraform's plan does. */
	if (json_is_object(after) && json_is_object(json_object_get(c, "after_unknown"))) {
		const char *k;
		json_t *u;
		json_object_foreach (json_object_get(c, "after_unknown"), k, u) {
			if (!json_is_true(u) || json_object_get(after, k))
				continue;
			/* jansson's json_copy() drops members it cannot allocate: check the size */
			if ((!filled && (!(filled = json_copy((json_t *)after)) ||
						json_object_size(filled) != json_object_size(after))) ||
				json_object_set_new(filled, k, json_null()) < 0) {
				json_decref(empty);
				json_decref(filled);
				return PLATCI_ENOMEM;
			}
		}
		if (filled)
			after = filled;
	}
	{
		masked_diff m = { NULL, cb, payload, PLATCI_BUF_INIT };
		json_t *hidden = NULL;
		if ((error = platci_tfplan__hidden(&hidden, c)) == 0 &&
			(error = platci_tfplan__matcher_new(&m.hidden, hidden)) == 0)
			error = platci_value_diff(before, after, json_object_get(c, "before_sensitive"),
				json_object_get(c, "after_sensitive"),
				json_object_get(c, "after_unknown"), emit_masked, &m);
		platci_tfplan__matcher_free(m.hidden);
		json_decref(hidden);
		platci_buf_dispose(&m.text);
	}
	json_decref(empty);
	json_decref(filled);
	return error;
}

typedef struct diff_md {
	platci_buf *out;
	size_t cap;
	size_t n;
	int full;
} diff_md;

static void put_value(platci_buf *out, const char *v)
{
	size_t len = strlen(v);
	platci_buf tmp = PLATCI_BUF_INIT;

	if (len > VALUE_SHOWN) {
		platci_buf_put(&tmp, v, VALUE_SHOWN);
		platci_buf_puts(&tmp, "...");
	} else {
		platci_buf_puts(&tmp, v);
	}
	if (tmp.error)
		out->error = tmp.error; /* the caller checks out->error: never an empty value */
	else
		platci_md_escape(out, tmp.ptr);
	platci_buf_dispose(&tmp);
}

static int diff_line(const platci_value_change *ch, void *payload)
{
	diff_md *d = payload;
	size_t mark = d->out->size;

	d->n++;
	if (d->full)
		return 0;
	platci_buf_puts(d->out, "  - ");
	platci_md_escape(d->out, ch->path);
	platci_buf_puts(d->out, ": ");
	if (ch->before && ch->after) {
		put_value(d->out, ch->before);
		platci_buf_puts(d->out, " → ");
		put_value(d->out, ch->after);
	} else if (ch->after) {
		platci_buf_puts(d->out, "(added) ");
		put_value(d->out, ch->after);
	} else if (ch->before) {
		platci_buf_puts(d->out, "(removed) ");
		put_value(d->out, ch->before);
	}
	platci_buf_putc(d->out, '\n');
	if (d->out->error)
		return d->out->error;
	if (d->out->size > d->cap) {
		platci_buf_truncate(d->out, mark);
		d->full = 1;
	}
	return 0;
}

/* ---- the model ------------------------------------------------------------------------ */

const char *platci_tfplan__dup(platci_tfplan *p, const char *s)
{
	return s ? platci_arena_strdup(&p->arena, s) : NULL;
}

int platci_tfplan__tally_type(platci_tfplan *p, const char *type, platci_tfplan_action a)
{
	size_t i;

	for (i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i].type, type) == 0)
			break;
	if (i == p->ntypes) {
		if (p->ntypes >= TFPLAN_MAX_TYPES) {
			p->types_overflow++;
			return 0;
		}
		if (platci__grow_array((void **)&p->types, &p->types_alloc, p->ntypes + 1,
			    sizeof(*p->types)) < 0)
			return PLATCI_ENOMEM;
		memset(&p->types[i], 0, sizeof(p->types[i]));
		if (!(p->types[i].type = platci_tfplan__dup(p, type)))
			return PLATCI_ENOMEM;
		p->ntypes++;
	}
	if (a == PLATCI_TFPLAN_DELETE)
		p->types[i].deletes++;
	else
		p->types[i].replaces++;
	return 0;
}

static size_t module_hash(const char *module, const char *type)
{
	uint64_t h = platci__strhash_more(PLATCI__STRHASH_INIT, module, strlen(module));

	h = platci__strhash_more(h, "\xff", 1);
	return (size_t)platci__strhash_more(h, type, strlen(type));
}

static int module_slots_grow(platci_tfplan *p)
{
	size_t cap = p->module_slots_cap ? p->module_slots_cap * 2 : 256;
	size_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < p->nmodules; i++) {
		size_t j = module_hash(p->modules[i].module, p->modules[i].type) & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = i + 1;
	}
	free(p->module_slots);
	p->module_slots = slots;
	p->module_slots_cap = cap;
	return 0;
}

/* Every change counts, kept or not: the summary of a huge plan shows where they are. */
int platci_tfplan__tally_module(platci_tfplan *p, const char *module, const char *type,
	platci_tfplan_action a)
{
	tfplan_module_tally *t;
	size_t j;

	if (a == PLATCI_TFPLAN_NOOP || a == PLATCI_TFPLAN_READ)
		return 0;
	module = module ? module : "";
	if ((p->nmodules + 1) * 2 > p->module_slots_cap && module_slots_grow(p) < 0)
		return PLATCI_ENOMEM;
	for (j = module_hash(module, type) & (p->module_slots_cap - 1); p->module_slots[j];
		j = (j + 1) & (p->module_slots_cap - 1)) {
		t = &p->modules[p->module_slots[j] - 1];
		if (strcmp(t->module, module) == 0 && strcmp(t->type, type) == 0)
			goto count;
	}
	if (p->nmodules >= TFPLAN_MAX_MODULE_TYPES) {
		p->modules_overflow++;
		return 0;
	}
	if (platci__grow_array((void **)&p->modules, &p->modules_alloc, p->nmodules + 1,
		    sizeof(*p->modules)) < 0)
		return PLATCI_ENOMEM;
	t = &p->modules[p->nmodules];
	memset(t, 0, sizeof(*t));
	if (!(t->module = platci_tfplan__dup(p, module)) || !(t->type = platci_tfplan__dup(p, type)))
		return PLATCI_ENOMEM;
	p->module_slots[j] = ++p->nmodules;
count:
	switch (a) {
	case PLATCI_TFPLAN_CREATE:
	case PLATCI_TFPLAN_CREATE_THEN_FORGET:
		t->add++;
		break;
	case PLATCI_TFPLAN_UPDATE:
		t->change++;
		break;
	case PLATCI_TFPLAN_DELETE:
		t->destroy++;
		break;
	case PLATCI_TFPLAN_DELETE_THEN_CREATE:
	case PLATCI_TFPLAN_CREATE_THEN_DELETE:
		t->replace++;
		break;
	default:
		t->other++;
		break;
	}
	return 0;
}

static char *render_paths(const json_t *paths)
{
	platci_buf b = PLATCI_BUF_INIT;
	size_t i, j;
	json_t *path, *step;

	platci_buf_init(&b, 2000);
	json_array_foreach ((json_t *)paths, i, path) {
		if (i)
			platci_buf_puts(&b, ", ");
		json_array_foreach (path, j, step) {
			if (json_is_string(step))
				platci_buf_printf(&b, j ? "[\"%s\"]" : "%s", json_string_value(step));
			else if (json_is_integer(step))
				platci_buf_printf(&b, "[%lld]", (long long)json_integer_value(step));
		}
	}
	if (b.error == PLATCI_ELIMIT) {
		platci_buf_clear(&b);
		platci_buf_puts(&b, "(many paths)");
	}
	return platci_buf_detach(&b);
}

int platci_tfplan__keep(platci_tfplan *p, const platci_tfplan_change *c,
	const platci_tfplan_options *opts, int with_diff)
{
	platci_tfplan_entry *e;
	int destroys = platci_tfplan_action_destroys(c->action);
	platci_buf diff = PLATCI_BUF_INIT;
	char *paths = NULL;
	int error = 0;

	if (c->source == PLATCI_TFPLAN_CHANGE && c->action == PLATCI_TFPLAN_NOOP &&
		!c->previous_address && !c->importing)
		return 0;
	if ((unsigned)c->source < 3)
		p->listable[c->source][destroys]++;
	if (destroys && c->source == PLATCI_TFPLAN_CHANGE) {
		if (p->ndestructive >= opts->max_entries) {
			p->dropped++;
			return 0;
		}
		if (platci__grow_array((void **)&p->destructive, &p->destructive_alloc,
			    p->ndestructive + 1, sizeof(*e)) < 0)
			return PLATCI_ENOMEM;
		e = &p->destructive[p->ndestructive++];
	} else {
		if (p->nothers >= opts->max_entries) {
			p->dropped++;
			return 0;
		}
		if (platci__grow_array((void **)&p->others, &p->others_alloc, p->nothers + 1,
			    sizeof(*e)) < 0)
			return PLATCI_ENOMEM;
		e = &p->others[p->nothers++];
	}
	memset(e, 0, sizeof(*e));
	e->source = c->source;
	e->action = c->action;
	e->importing = c->importing;
	e->address = platci_tfplan__dup(p, c->address);
	e->previous_address = platci_tfplan__dup(p, c->previous_address);
	e->type = platci_tfplan__dup(p, c->type);
	e->action_reason = platci_tfplan__dup(p, c->action_reason);
	e->actions_text = platci_tfplan__dup(p, c->actions_text);
	e->import_id = platci_tfplan__dup(p, c->import_id);
	e->deferred_reason = platci_tfplan__dup(p, c->deferred_reason);
	if (json_array_size(c->replace_paths)) {
		paths = render_paths(c->replace_paths);
		PLATCI_CHECK_ALLOC(paths);
		e->replace_paths = platci_tfplan__dup(p, paths);
	}
	if (c->action != PLATCI_TFPLAN_READ && c->action != PLATCI_TFPLAN_NOOP && with_diff) {
		if (p->diff_bytes >= opts->max_diff_bytes) {
			p->diff_skipped++;
		} else {
			diff_md d = { &diff, opts->max_diff_per_entry, 0, 0 };
			/* known secrets are scrubbed once, when the summary is rendered */
			if ((error = platci_tfplan_change_diff(c, diff_line, &d)) < 0)
				goto done;
			e->diff_changes = d.n;
			if (diff.size) {
				e->diff_md = platci_arena_strndup(&p->arena, diff.ptr, diff.size);
				p->diff_bytes += diff.size;
			}
		}
	}
	if (!e->address || (c->type && !e->type))
		error = PLATCI_ENOMEM;
done:
	free(paths);
	platci_buf_dispose(&diff);
	return error;
}
