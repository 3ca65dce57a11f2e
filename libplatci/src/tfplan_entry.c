/*
 * Resource entries (resource_changes, resource_drift) read in one pass:
 * the small fields of every entry arrive as raw tokens, and the values
 * (before, after and their markers) are built only when someone will look
 * at them: an entry that changes something, while the summary still has
 * room for its diff or a caller's callback waits. Terraform writes
 * `actions` before the values, so a no-op entry (most of a refresh-only
 * plan) never has its values built; with another key order they are built
 * and nothing is lost. prior_state is read only for a caller that asks
 * for its resources.
 */
#include <stdio.h>
#include <string.h>

#include "tfplan_int.h"
#include "util/common.h"
#include "util/banned.h"

enum {
	E_CHANGES = 100, /* + an offset below */
	E_DRIFT = 200,
	E_STATE = 300, /* + 10 * module depth + an offset */
	O_ENTRY = 0,
	O_FIELD,
	O_ACTION,
	O_MEMBER,
	O_SMALL,
	O_STATE_RESOURCE = 0,
	O_STATE_FIELD
};

static const char *const field_names[TFPLAN_F_COUNT] = { "address", "previous_address",
	"module_address", "mode", "type", "name", "provider_name", "deposed", "action_reason" };

/* Members built only when the entry's values are wanted. */
static const char *const value_members[] = { "before", "after", "after_unknown", "before_sensitive",
	"after_sensitive" };

/* Small members, always built. */
static const char *const small_members[] = { "importing", "replace_paths" };

static int subscribe_source(platci_json_stream *s, const char *prefix, int base,
	platci_json_stream_cb cb, void *payload)
{
	char pat[96];
	int error;

	snprintf(pat, sizeof(pat), "%s[*]", prefix);
	if ((error = platci_json_stream_on(s, pat, PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_EXIT,
		     base + O_ENTRY, cb, payload)) < 0)
		return error;
	snprintf(pat, sizeof(pat), "%s[*].*", prefix);
	if ((error = platci_json_stream_on(s, pat, PLATCI_JSON_STREAM_SCALAR, base + O_FIELD, cb,
		     payload)) < 0)
		return error;
	snprintf(pat, sizeof(pat), "%s[*].change.actions[*]", prefix);
	if ((error = platci_json_stream_on(s, pat, PLATCI_JSON_STREAM_SCALAR | PLATCI_JSON_STREAM_ENTER,
		     base + O_ACTION, cb, payload)) < 0)
		return error;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(value_members); i++) {
		snprintf(pat, sizeof(pat), "%s[*].change.%s", prefix, value_members[i]);
		if ((error = platci_json_stream_on(s, pat, PLATCI_JSON_STREAM_VALUE | PLATCI_JSON_STREAM_ENTER,
			     base + O_MEMBER, cb, payload)) < 0)
			return error;
	}
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(small_members); i++) {
		snprintf(pat, sizeof(pat), "%s[*].change.%s", prefix, small_members[i]);
		if ((error = platci_json_stream_on(s, pat, PLATCI_JSON_STREAM_VALUE, base + O_SMALL,
			     cb, payload)) < 0)
			return error;
	}
	return 0;
}

int platci_tfplan__subscribe_entries(platci_json_stream *s, platci_tfplan_reader_state *st,
	platci_json_stream_cb cb, void *payload)
{
	static const char *const depths[] = {
		"prior_state.values.root_module.resources[*]",
		"prior_state.values.root_module.child_modules[*].resources[*]",
		"prior_state.values.root_module.child_modules[*].child_modules[*].resources[*]",
		("prior_state.values.root_module.child_modules[*].child_modules[*].child_modules[*]"
		 ".resources[*]"),
	};
	char pat[160];
	int error;

	if ((error = subscribe_source(s, "resource_changes", E_CHANGES, cb, payload)) < 0 ||
		(error = subscribe_source(s, "resource_drift", E_DRIFT, cb, payload)) < 0)
		return error;
	if (!st->opts->on_state)
		return 0;
	for (int d = 0; d < (int)PLATCI_ARRAY_SIZE(depths); d++) {
		int base = E_STATE + 10 * d;
		snprintf(pat, sizeof(pat), "%s.*", depths[d]);
		if ((error = platci_json_stream_on(s, depths[d], PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_EXIT,
			     base + O_STATE_RESOURCE, cb, payload)) < 0 ||
			(error = platci_json_stream_on(s, pat, PLATCI_JSON_STREAM_SCALAR,
				 base + O_STATE_FIELD, cb, payload)) < 0)
			return error;
	}
	return 0;
}

void platci_tfplan__entries_dispose(platci_tfplan_reader_state *st)
{
	for (size_t i = 0; i < TFPLAN_F_COUNT; i++)
		platci_buf_dispose(&st->e.field[i]);
	json_decref(st->e.change);
	st->e.change = NULL;
	platci_buf_dispose(&st->e.after_text);
	platci_buf_dispose(&st->state_address);
	platci_buf_dispose(&st->state_mode);
}

/* ---- what an entry means ------------------------------------------------------------------ */

static void reset_entry(tfplan_entry_state *e, platci_tfplan_source source)
{
	memset(e->set, 0, sizeof(e->set));
	e->nactions = 0;
	e->actions_len = 0;
	e->actions_text[0] = '\0';
	json_decref(e->change);
	e->change = NULL;
	e->values = 0;
	e->has_after_text = 0;
	e->source = source;
}

static platci_tfplan_action entry_action(const tfplan_entry_state *e)
{
	return platci_tfplan__action_of(e->nactions > 0 && e->first[0][0] ? e->first[0] : NULL,
		e->nactions > 1 && e->first[1][0] ? e->first[1] : NULL, e->nactions);
}

/* Counting sees every entry of resource_changes. */
static int count_change(platci_tfplan *p, const platci_tfplan_change *c)
{
	p->counts.resources++;
	platci_tfplan__count_action(&p->counts, c->action);
	if (c->importing)
		p->counts.import++;
	if (c->previous_address)
		p->counts.move++;
	if (platci_tfplan__tally_module(p, c->module_address, c->type, c->action) < 0)
		return PLATCI_ENOMEM;
	if (platci_tfplan_action_destroys(c->action))
		return platci_tfplan__tally_type(p, c->type, c->action);
	return 0;
}

enum { WANT_NONE = 0, WANT_CALLBACK, WANT_ALL };

/*
 * Whether the values of the entry being read are worth building: all of
 * them while the summary still has room for its diff, the members a
 * caller's callback reads when one waits, none otherwise. Before its
 * actions are known, all are.
 */
static int want_values(const platci_tfplan_reader_state *st)
{
	const tfplan_entry_state *e = &st->e;
	const platci_tfplan *p = st->plan;
	platci_tfplan_action a;

	if (!e->nactions)
		return WANT_ALL;
	a = entry_action(e);
	if (a == PLATCI_TFPLAN_NOOP)
		return WANT_NONE;
	if (a != PLATCI_TFPLAN_READ && p->diff_bytes < st->opts->max_diff_bytes &&
		(platci_tfplan_action_destroys(a) && e->source == PLATCI_TFPLAN_CHANGE
				? p->ndestructive < st->opts->max_entries
				: p->nothers < st->opts->max_entries))
		return WANT_ALL;
	if (e->source == PLATCI_TFPLAN_CHANGE ? st->opts->on_change : st->opts->on_drift)
		return WANT_CALLBACK;
	return WANT_NONE;
}

enum { MEMBER_SKIP = 0, MEMBER_BUILD, MEMBER_TEXT };

/* How the value member @p key of the entry being read is kept (a container: text or built). */
static int want_member(const platci_tfplan_reader_state *st, const char *key)
{
	unsigned int how = st->opts->callback_values;
	int w = want_values(st);

	if (w != WANT_CALLBACK)
		return w == WANT_ALL ? MEMBER_BUILD : MEMBER_SKIP;
	if (!key)
		return MEMBER_BUILD;
	/* a callback that judges only the result needs no `before`: half of a plan's values */
	if ((how & PLATCI_TFPLAN_VALUES_NO_BEFORE) &&
		(strcmp(key, "before") == 0 || strcmp(key, "before_sensitive") == 0))
		return MEMBER_SKIP;
	/* and one that reads `after` itself needs no jansson tree of it */
	if ((how & PLATCI_TFPLAN_VALUES_AFTER_TEXT) && strcmp(key, "after") == 0)
		return MEMBER_TEXT;
	return MEMBER_BUILD;
}

/* Keeping, diffing and the caller's callback, for one entry with its fields filled. */
static int keep(platci_tfplan_reader_state *st, const platci_tfplan_change *c, int with_values)
{
	platci_tfplan *p = st->plan;
	const json_t *change = c->change;
	platci_tfplan_change_cb cb;
	int error;

	if (with_values && json_is_object(change) &&
		((error = platci_tfplan__collect(p, json_object_get(change, "before"),
			  json_object_get(change, "before_sensitive"))) < 0 ||
			(error = platci_tfplan__collect(p, json_object_get(change, "after"),
				 json_object_get(change, "after_sensitive"))) < 0))
		return error;
	if (!with_values && c->action != PLATCI_TFPLAN_READ && c->action != PLATCI_TFPLAN_NOOP)
		p->diff_skipped++;
	if ((error = platci_tfplan__keep(p, c, st->opts, with_values)) < 0)
		return error;
	cb = c->source == PLATCI_TFPLAN_DRIFT ? st->opts->on_drift : st->opts->on_change;
	if (cb && (error = cb(c, st->opts->payload)) < 0)
		return error;
	return 0;
}

static const char *field(const tfplan_entry_state *e, int f, const char *dflt)
{
	return e->set[f] ? e->field[f].ptr : dflt;
}

/* The entry has closed: assemble it from what was kept. */
static int entry_done(platci_tfplan_reader_state *st, size_t line)
{
	tfplan_entry_state *e = &st->e;
	const json_t *importing = json_object_get(e->change, "importing");
	platci_tfplan_change c;
	int error = 0;

	for (int i = 0; i < TFPLAN_F_COUNT; i++)
		if (e->field[i].error)
			return e->field[i].error;
	memset(&c, 0, sizeof(c));
	c.source = e->source;
	c.address = field(e, TFPLAN_F_ADDRESS, "");
	c.previous_address = field(e, TFPLAN_F_PREVIOUS, NULL);
	c.module_address = field(e, TFPLAN_F_MODULE, NULL);
	c.mode = field(e, TFPLAN_F_MODE, NULL);
	c.type = field(e, TFPLAN_F_TYPE, "");
	c.name = field(e, TFPLAN_F_NAME, NULL);
	c.provider_name = field(e, TFPLAN_F_PROVIDER, NULL);
	c.deposed = field(e, TFPLAN_F_DEPOSED, NULL);
	c.action_reason = field(e, TFPLAN_F_REASON, NULL);
	c.action = entry_action(e);
	c.actions_text = e->actions_text;
	c.importing = json_is_object(importing);
	c.import_id = c.importing ? json_string_value(json_object_get(importing, "id")) : NULL;
	c.replace_paths = json_object_get(e->change, "replace_paths");
	if (c.replace_paths && !json_is_array(c.replace_paths))
		c.replace_paths = NULL;
	c.change = e->change;
	c.line = line;
	if (e->has_after_text) {
		c.after_text = e->after_text.ptr;
		c.after_text_len = e->after_text.size;
	}
	if (e->source == PLATCI_TFPLAN_CHANGE)
		error = count_change(st->plan, &c);
	else
		st->plan->counts.drift++;
	if (!error)
		error = keep(st, &c, e->values);
	return error;
}

/* One action string (or another JSON value) in `actions`. */
static int add_action(platci_tfplan_reader_state *st, const platci_json_event *ev)
{
	tfplan_entry_state *e = &st->e;
	platci_tfplan_counts *c = &st->plan->counts;
	const char *a = ev->type == JSON_STRING ? ev->text : NULL;

	if (e->nactions < 2) {
		size_t n = a ? ev->text_len : 0;
		/* a name too long to be one Terraform writes stays unknown */
		if (n >= sizeof(e->first[0]) || (a && memchr(a, '\0', n)))
			snprintf(e->first[e->nactions], sizeof(e->first[0]), "?");
		else
			snprintf(e->first[e->nactions], sizeof(e->first[0]), "%.*s", (int)n, a ? a : "");
	}
	e->nactions++;
	if (!a)
		return 0;
	if (e->source == PLATCI_TFPLAN_CHANGE) {
		/* GitLab's jq expression counts the flattened strings. */
		if (ev->text_len == 6 && memcmp(a, "create", 6) == 0)
			c->widget_create++;
		else if (ev->text_len == 6 && memcmp(a, "update", 6) == 0)
			c->widget_update++;
		else if (ev->text_len == 6 && memcmp(a, "delete", 6) == 0)
			c->widget_delete++;
	}
	if (e->actions_len < sizeof(e->actions_text))
		e->actions_len += (size_t)snprintf(e->actions_text + e->actions_len,
			sizeof(e->actions_text) - e->actions_len, "%s%.*s",
			e->nactions > 1 ? ", " : "", (int)ev->text_len, a);
	if (e->actions_len >= sizeof(e->actions_text))
		e->actions_len = sizeof(e->actions_text);
	return 0;
}

static int set_field(tfplan_entry_state *e, const platci_json_event *ev)
{
	size_t n = ev->key ? strlen(ev->key) : 0;

	/* a string in an array has no key: no field of the entry */
	if (ev->type != JSON_STRING || !ev->key)
		return 0;
	for (int i = 0; i < TFPLAN_F_COUNT; i++) {
		if (field_names[i][0] != ev->key[0] || strlen(field_names[i]) != n ||
			memcmp(field_names[i], ev->key, n) != 0)
			continue;
		platci_buf_clear(&e->field[i]);
		e->set[i] = 1;
		platci_buf_put(&e->field[i], ev->text, ev->text_len);
		return e->field[i].error;
	}
	return 0;
}

static int set_member(tfplan_entry_state *e, const platci_json_event *ev)
{
	if (!e->change && !(e->change = json_object()))
		return PLATCI_ENOMEM;
	return json_object_set(e->change, ev->key, ev->value) < 0 ? PLATCI_ENOMEM : 0;
}

static int on_value_member(platci_tfplan_reader_state *st, const platci_json_event *ev)
{
	tfplan_entry_state *e = &st->e;

	if (ev->kind == PLATCI_JSON_STREAM_ENTER) {
		int how = want_member(st, ev->key);
		return how == MEMBER_TEXT ? PLATCI_JSON_STREAM_TEXT
		       : how              ? 0
					  : PLATCI_JSON_STREAM_NO_VALUE;
	}
	if (!ev->value) {
		/* the container asked for as text: `after`, kept beside the members */
		e->values = 1;
		e->has_after_text = 1;
		platci_buf_clear(&e->after_text);
		return platci_buf_put(&e->after_text, ev->text, ev->text_len);
	}
	/* a scalar member (a sensitive string, null) comes without ENTER */
	if (!want_member(st, ev->key))
		return 0;
	e->values = 1;
	return set_member(e, ev);
}

/* A prior_state resource: its address and mode, then the callback at its end. */
static int on_state(platci_tfplan_reader_state *st, const platci_json_event *ev, int off)
{
	if (off == O_STATE_RESOURCE) {
		if (ev->kind == PLATCI_JSON_STREAM_ENTER) {
			platci_buf_clear(&st->state_address);
			platci_buf_clear(&st->state_mode);
			st->state_has_mode = 0;
			return 0;
		}
		if (st->state_address.error || st->state_mode.error)
			return PLATCI_ENOMEM;
		if (!st->state_address.size)
			return 0;
		return st->opts->on_state(st->state_address.ptr,
			st->state_has_mode ? st->state_mode.ptr : NULL, st->opts->payload);
	}
	if (ev->type != JSON_STRING || !ev->key)
		return 0;
	if (strcmp(ev->key, "address") == 0) {
		platci_buf_clear(&st->state_address);
		platci_buf_put(&st->state_address, ev->text, ev->text_len);
	} else if (strcmp(ev->key, "mode") == 0) {
		platci_buf_clear(&st->state_mode);
		platci_buf_put(&st->state_mode, ev->text, ev->text_len);
		st->state_has_mode = 1;
	}
	return 0;
}

int platci_tfplan__entry_event(platci_tfplan_reader_state *st, const platci_json_event *ev, int *rc)
{
	int base = ev->id >= E_STATE     ? E_STATE
		   : ev->id >= E_DRIFT   ? E_DRIFT
		   : ev->id >= E_CHANGES ? E_CHANGES
					 : 0;
	int off = ev->id - base;

	if (!base || ev->id >= E_STATE + 40)
		return 0;
	if (base == E_STATE) {
		*rc = on_state(st, ev, off % 10);
		return 1;
	}
	switch (off) {
	case O_ENTRY:
		if (ev->kind == PLATCI_JSON_STREAM_ENTER) {
			reset_entry(&st->e, base == E_DRIFT ? PLATCI_TFPLAN_DRIFT : PLATCI_TFPLAN_CHANGE);
			*rc = 0;
		} else {
			*rc = entry_done(st, ev->line);
			reset_entry(&st->e, st->e.source);
		}
		break;
	case O_FIELD:
		*rc = set_field(&st->e, ev);
		break;
	case O_ACTION:
		/* a container in actions counts as an action, as it did in the list */
		*rc = ev->kind == PLATCI_JSON_STREAM_ENTER ? (st->e.nactions++, 0) : add_action(st, ev);
		break;
	case O_MEMBER:
		*rc = on_value_member(st, ev);
		break;
	default:
		*rc = set_member(&st->e, ev);
		break;
	}
	return 1;
}

/* ---- whole entries ---------------------------------------------------------------------------- */

static const char *str_or(const json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : dflt;
}

int platci_tfplan__whole_entry(platci_tfplan_reader_state *st, const json_t *rc,
	platci_tfplan_source source, const char *deferred_reason, size_t line)
{
	const json_t *change = json_object_get(rc, "change");
	const json_t *importing = json_object_get(change, "importing");
	platci_tfplan_change c;
	char actions[128];

	if (!json_is_object(rc))
		return 0;
	memset(&c, 0, sizeof(c));
	c.source = source;
	c.address = str_or(rc, "address", "");
	c.previous_address = str_or(rc, "previous_address", NULL);
	c.module_address = str_or(rc, "module_address", NULL);
	c.mode = str_or(rc, "mode", NULL);
	c.type = str_or(rc, "type", "");
	c.name = str_or(rc, "name", NULL);
	c.provider_name = str_or(rc, "provider_name", NULL);
	c.deposed = str_or(rc, "deposed", NULL);
	c.action_reason = str_or(rc, "action_reason", NULL);
	c.deferred_reason = deferred_reason;
	c.action = platci_tfplan__parse_actions(json_object_get(change, "actions"), actions,
		sizeof(actions));
	c.actions_text = actions;
	c.importing = json_is_object(importing);
	c.import_id = c.importing ? str_or(importing, "id", NULL) : NULL;
	c.replace_paths = json_object_get(change, "replace_paths");
	if (c.replace_paths && !json_is_array(c.replace_paths))
		c.replace_paths = NULL;
	c.change = json_is_object(change) ? change : NULL;
	c.line = line;
	st->plan->counts.deferred++;
	return keep(st, &c, 1);
}
