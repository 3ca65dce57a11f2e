/*
 * Promotion planning: order and safety checks, the two version sets,
 * their difference turned into byte edits of the target's files, and the
 * new contents rendered (and re-read to verify) in memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "promote.h"
#include "versions.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/strmap.h"
#include "util/banned.h"

int platci_promote_options_init(platci_promote_options *opts, unsigned int version)
{
	platci_promote_options init = PLATCI_PROMOTE_OPTIONS_INIT;

	if (!opts || version != PLATCI_PROMOTE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

void platci_promotion_free(platci_promotion *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nfiles; i++) {
		free(p->files[i].old_data);
		free(p->files[i].new_data);
		free(p->files[i].edits);
	}
	free(p->files);
	free(p->changes);
	free(p->notes);
	free(p->refusals);
	free(p->overridden);
	free(p->env_names);
	free(p->env_values);
	platci_arena_dispose(&p->arena);
	free(p);
}

size_t platci_promotion_count(const platci_promotion *p)
{
	return p ? p->nchanges : 0;
}

const platci_promote_change *platci_promotion_at(const platci_promotion *p, size_t i)
{
	return p && i < p->nchanges ? &p->changes[i] : NULL;
}

size_t platci_promotion_note_count(const platci_promotion *p)
{
	return p ? p->nnotes : 0;
}

const platci_promote_note *platci_promotion_note_at(const platci_promotion *p, size_t i)
{
	return p && i < p->nnotes ? &p->notes[i] : NULL;
}

size_t platci_promotion_refusal_count(const platci_promotion *p)
{
	return p ? p->nrefusals : 0;
}

const char *platci_promotion_refusal_at(const platci_promotion *p, size_t i)
{
	return p && i < p->nrefusals ? p->refusals[i] : NULL;
}

size_t platci_promotion_override_count(const platci_promotion *p)
{
	return p ? p->noverridden : 0;
}

const char *platci_promotion_override_at(const platci_promotion *p, size_t i)
{
	return p && i < p->noverridden ? p->overridden[i] : NULL;
}

size_t platci_promotion_file_count(const platci_promotion *p)
{
	return p ? p->nfiles : 0;
}

const char *platci_promotion_file_at(const platci_promotion *p, size_t i, const char **data_out,
	size_t *len_out)
{
	if (!p || i >= p->nfiles)
		return NULL;
	if (data_out)
		*data_out = p->files[i].new_data;
	if (len_out)
		*len_out = p->files[i].new_len;
	return p->files[i].path;
}

/* ---- planning ------------------------------------------------------------------ */

typedef struct planner {
	platci_promotion *p;
	platci__strmap file_index; /* path -> index + 1 into p->files (paths live in p's arena) */
	const platci_config *cfg;
	const platci_promote_options *opts;
	const platci_versions *src, *tgt;
	platci_diag *diag;
} planner;

static const char *pstr(platci_promotion *p, const char *s)
{
	return s ? platci_arena_strdup(&p->arena, s) : NULL;
}

static int push_text(platci_promotion *p, const char ***list, size_t *n, size_t *alloc,
	const char *fmt, va_list ap) PLATCI_PRINTF(5, 0);

static int push_text(platci_promotion *p, const char ***list, size_t *n, size_t *alloc,
	const char *fmt, va_list ap)
{
	platci_buf b = PLATCI_BUF_INIT;
	int error;

	platci_buf_vprintf(&b, fmt, ap);
	if ((error = b.error) == 0 &&
		(error = platci__grow_array((void **)list, alloc, *n + 1, sizeof(**list))) == 0) {
		if (!((*list)[*n] = pstr(p, b.ptr)))
			error = PLATCI_ENOMEM;
		else
			(*n)++;
	}
	platci_buf_dispose(&b);
	return error;
}

static int refuse(platci_promotion *p, const char *fmt, ...) PLATCI_PRINTF(2, 3);

static int refuse(platci_promotion *p, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = push_text(p, &p->refusals, &p->nrefusals, &p->arefusals, fmt, ap);
	va_end(ap);
	return error;
}

int platci_promote__policy_deny(platci_promotion *p, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	if (p->force)
		error = push_text(p, &p->overridden, &p->noverridden, &p->aoverridden, fmt, ap);
	else
		error = push_text(p, &p->refusals, &p->nrefusals, &p->arefusals, fmt, ap);
	va_end(ap);
	return error;
}

static int note(platci_promotion *p, const char *key, const char *message)
{
	platci_promote_note *n;

	if (platci__grow_array((void **)&p->notes, &p->anotes, p->nnotes + 1, sizeof(*p->notes)) < 0)
		return PLATCI_ENOMEM;
	n = &p->notes[p->nnotes];
	n->key = pstr(p, key);
	n->message = pstr(p, message);
	if (!n->key || !n->message)
		return PLATCI_ENOMEM;
	p->nnotes++;
	return 0;
}

static int selected(const planner *pl, const platci_pin *pin)
{
	const char *const *o = pl->opts->only;
	const char *colon = strchr(pin->id, ':');

	if (!o)
		return 1;
	for (; *o; o++) {
		if (strcmp(*o, pin->app) == 0 || strcmp(*o, pin->name) == 0 || strcmp(*o, pin->id) == 0 ||
			strcmp(*o, pin->key) == 0 || (colon && strcmp(*o, colon + 1) == 0))
			return 1;
	}
	return 0;
}

/* The file record for @p path, read from the root on first use. */
static int get_file(planner *pl, const char *path, promote_file **out)
{
	platci_promotion *p = pl->p;
	platci_buf full = PLATCI_BUF_INIT, data = PLATCI_BUF_INIT;
	promote_file *f;
	size_t k = (size_t)platci__strmap_get(&pl->file_index, path, strlen(path));
	int error = 0;

	if (k) {
		*out = &p->files[k - 1];
		return 0;
	}
	if ((error = platci_path_on_disk(&full, p->root, path)) < 0)
		goto done;
	if ((error = platci_fs_read(&data, full.ptr, 0, pl->diag)) < 0)
		goto done;
	if ((error = platci__grow_array((void **)&p->files, &p->afiles, p->nfiles + 1, sizeof(*p->files))) < 0)
		goto done;
	f = &p->files[p->nfiles];
	memset(f, 0, sizeof(*f));
	f->old_len = data.size;
	PLATCI_CHECK_ALLOC(f->old_data = platci_buf_detach(&data));
	if (!(f->path = pstr(p, path))) {
		free(f->old_data);
		error = PLATCI_ENOMEM;
		goto done;
	}
	if ((error = platci__strmap_put(&pl->file_index, f->path, strlen(f->path),
		     (void *)(p->nfiles + 1))) < 0) {
		free(f->old_data);
		goto done;
	}
	p->nfiles++;
	*out = f;
done:
	platci_buf_dispose(&full);
	platci_buf_dispose(&data);
	return error;
}

static int add_edit(planner *pl, const char *file, size_t start, size_t end, const char *value,
	platci_node_style style, int raw)
{
	promote_file *f;
	platci_yamledit *e;
	int error;

	if ((error = get_file(pl, file, &f)) < 0)
		return error;
	if (platci__grow_array((void **)&f->edits, &f->aedits, f->nedits + 1, sizeof(*f->edits)) < 0)
		return PLATCI_ENOMEM;
	e = &f->edits[f->nedits];
	e->start = start;
	e->end = end;
	e->style = style;
	e->raw = raw;
	if (!(e->value = pstr(pl->p, value)))
		return PLATCI_ENOMEM;
	f->nedits++;
	return 0;
}

static int add_change(planner *pl, platci_change_action action, const platci_pin *tpin,
	const platci_pin *spin, const char *file, size_t line)
{
	platci_promotion *p = pl->p;
	platci_promote_change *c;
	const platci_pin *any = tpin ? tpin : spin;

	if (platci__grow_array((void **)&p->changes, &p->achanges, p->nchanges + 1, sizeof(*p->changes)) < 0)
		return PLATCI_ENOMEM;
	c = &p->changes[p->nchanges];
	memset(c, 0, sizeof(*c));
	c->action = action;
	c->kind = any->kind;
	c->key = pstr(p, any->key);
	c->name = pstr(p, any->name);
	c->app = pstr(p, tpin ? tpin->app : spin->app);
	c->file = pstr(p, file);
	c->line = line;
	c->column = tpin ? tpin->column : 0;
	c->old_value = tpin ? pstr(p, tpin->value) : NULL;
	c->new_value = action == PLATCI_CHANGE_DROP ? NULL : pstr(p, spin->value);
	c->source_file = spin ? pstr(p, spin->file) : NULL;
	c->source_line = spin ? spin->line : 0;
	if (!c->key || !c->name || !c->app || !c->file || (tpin && !c->old_value) ||
		(action != PLATCI_CHANGE_DROP && !c->new_value) || (spin && !c->source_file))
		return PLATCI_ENOMEM;
	p->nchanges++;
	return 0;
}

static size_t line_of(const char *s, size_t off)
{
	size_t line = 1;

	for (size_t i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

/* A field the source has and the target's entry lacks: a new line in the entry. */
static int plan_add(planner *pl, const platci_pin *spin)
{
	const platci_pin_group *g = platci_versions__group(pl->tgt, spin->id, NULL);
	platci_buf line = PLATCI_BUF_INIT;
	promote_file *f;
	int error;

	if (!g)
		return note(pl->p, spin->key, "only in the source: not promoted");
	if (!g->insertable)
		return refuse(pl->p,
			"%s: the target's entry in %s is a flow mapping or an inline patch "
			"that cannot take a new `%s:` line; add it by hand",
			spin->key, g->file, spin->field);
	if (g->lead_eol)
		platci_buf_puts(&line, g->crlf ? "\r\n" : "\n");
	for (size_t i = 0; i < g->indent; i++)
		platci_buf_putc(&line, ' ');
	platci_buf_printf(&line, "%s: ", spin->field);
	if ((error = platci_yamledit_render_scalar(&line, spin->value, PLATCI_STYLE_PLAIN)) < 0) {
		error = error == PLATCI_ENOMEM
				? error
				: refuse(pl->p, "%s: value cannot be written in YAML in place", spin->key);
		goto done;
	}
	platci_buf_puts(&line, g->crlf ? "\r\n" : "\n");
	if ((error = line.error) < 0 || (error = get_file(pl, g->file, &f)) < 0)
		goto done;
	if ((error = add_edit(pl, g->file, g->insert_at, g->insert_at, line.ptr, PLATCI_STYLE_PLAIN, 1)) < 0)
		goto done;
	error = add_change(pl, PLATCI_CHANGE_ADD, NULL, spin, g->file, line_of(f->old_data, g->insert_at));
done:
	platci_buf_dispose(&line);
	return error;
}

/* Removes the whole `field: value` line(s) of @p tpin (--drop-digest). */
static int plan_drop(planner *pl, const platci_pin *tpin)
{
	promote_file *f;
	size_t ls, le;
	int error;

	if ((error = get_file(pl, tpin->file, &f)) < 0)
		return error;
	for (ls = tpin->key_start; ls > 0 && f->old_data[ls - 1] != '\n'; ls--)
		;
	for (size_t i = ls; i < tpin->key_start; i++)
		if (f->old_data[i] != ' ')
			return refuse(pl->p,
				"%s: %s:%zu: the key shares its line with other text "
				"(`- %s:`); remove it by hand",
				tpin->key, tpin->file, tpin->line, tpin->field);
	/* An op's `value:` line is not the field itself: removing it would break the op. */
	if (strncmp(f->old_data + tpin->key_start, tpin->field, strlen(tpin->field)) != 0 ||
		(f->old_data[tpin->key_start + strlen(tpin->field)] != ':' &&
			f->old_data[tpin->key_start + strlen(tpin->field)] != ' '))
		return refuse(pl->p, "%s: %s:%zu is set by a patch op; remove the op by hand",
			tpin->key, tpin->file, tpin->line);
	for (le = tpin->end; le < f->old_len && f->old_data[le] != '\n'; le++)
		;
	if (le < f->old_len)
		le++;
	if ((error = add_edit(pl, tpin->file, ls, le, "", PLATCI_STYLE_PLAIN, 1)) < 0)
		return error;
	return add_change(pl, PLATCI_CHANGE_DROP, tpin, NULL, tpin->file, tpin->line);
}

static int is_pinning_field(const platci_pin *pin)
{
	return ((pin->kind == PLATCI_PIN_IMAGE || pin->kind == PLATCI_PIN_OCI) &&
		       strcmp(pin->field, "digest") == 0) ||
	       (pin->kind == PLATCI_PIN_GIT && strcmp(pin->field, "commit") == 0);
}

static int plan_entries(planner *pl, const platci_vdiff *d)
{
	int error = 0;

	for (size_t i = 0; i < platci_vdiff_count(d) && !error; i++) {
		const platci_vdiff_entry *e = platci_vdiff_at(d, i);
		const platci_pin *s = e->source, *t = e->target;

		if (!selected(pl, t ? t : s))
			continue;
		switch (e->kind) {
		case PLATCI_VDIFF_CHANGED:
			if ((error = add_edit(pl, t->file, t->start, t->end, s->value, t->style, 0)) < 0)
				break;
			error = add_change(pl, PLATCI_CHANGE_SET, t, s, t->file, t->line);
			break;
		case PLATCI_VDIFF_AMBIGUOUS:
			error = note(pl->p, e->key,
				"the source holds different values for this pin: "
				"not promoted");
			break;
		case PLATCI_VDIFF_ONLY_SOURCE:
			if (s->kind == PLATCI_PIN_IMAGE || s->kind == PLATCI_PIN_OCI || s->kind == PLATCI_PIN_GIT)
				error = plan_add(pl, s);
			else
				error = note(pl->p, e->key, "only in the source: not promoted");
			break;
		case PLATCI_VDIFF_ONLY_TARGET:
			/* A digest the source lacks would keep the old image running. */
			if (!is_pinning_field(t) || !platci_versions__group(pl->src, t->id, NULL))
				break;
			if (pl->opts->drop_digest)
				error = plan_drop(pl, t);
			else if (pl->p->rollback_to)
				error = refuse(pl->p,
					"%s: %s pins %s at %s:%zu but had none at %s; pass "
					"--drop-digest to remove it",
					e->key, pl->p->to, t->field, t->file, t->line, pl->p->rollback_to);
			else
				error = refuse(pl->p,
					"%s: %s pins %s at %s:%zu but %s has none; kustomize "
					"would ignore a promoted tag. Pin it in %s too, or pass "
					"--drop-digest to remove it",
					e->key, pl->p->to, t->field, t->file, t->line, pl->p->from,
					pl->p->from);
			break;
		}
	}
	return error;
}

static int change_cmp(const void *a, const void *b)
{
	const platci_promote_change *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	if ((c = strcmp(x->file, y->file)) != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int change_file_cmp(const void *a, const void *b)
{
	const platci_promote_change *x = *(const platci_promote_change *const *)a;
	const platci_promote_change *y = *(const platci_promote_change *const *)b;
	return strcmp(x->file, y->file);
}

/* Renders every file and reads it back: each changed pin must now hold its new value. */
static int render_files(planner *pl)
{
	platci_promotion *p = pl->p;
	platci_buf out = PLATCI_BUF_INIT;
	platci_versions *check = NULL;
	platci_versions_options vo = PLATCI_VERSIONS_OPTIONS_INIT;
	const platci_promote_change **by_file = NULL;
	int error = 0;

	vo.substitute_patterns = platci_config_substitute_patterns(pl->cfg);
	if (p->nchanges) {
		PLATCI_CHECK_ALLOC(by_file = malloc(p->nchanges * sizeof(*by_file)));
		for (size_t c = 0; c < p->nchanges; c++)
			by_file[c] = &p->changes[c];
		qsort(by_file, p->nchanges, sizeof(*by_file), change_file_cmp);
	}
	for (size_t i = 0; i < p->nfiles; i++) {
		promote_file *f = &p->files[i];
		size_t lo = 0, hi = p->nchanges;

		if ((error = platci_yamledit_apply(&out, f->old_data, f->old_len, f->edits,
			     f->nedits, f->path, pl->diag)) < 0)
			goto done;
		f->new_len = out.size;
		PLATCI_CHECK_ALLOC(f->new_data = platci_buf_detach(&out));
		platci_versions_free(check);
		check = NULL;
		if ((error = platci_versions_new(&check, &vo)) < 0 ||
			(error = platci_versions__copy_targets(check, pl->tgt)) < 0)
			goto done;
		if ((error = platci_versions_add_data(check, f->path, "", f->new_data, f->new_len,
			     pl->diag)) < 0)
			goto done;
		while (lo < hi) { /* first change of this file */
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(by_file[mid]->file, f->path) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t c = lo; c < p->nchanges && strcmp(by_file[c]->file, f->path) == 0; c++) {
			const platci_promote_change *ch = by_file[c];
			int ok = ch->action == PLATCI_CHANGE_DROP;

			/* Pins with the same key sit next to each other in the sorted view. */
			for (size_t k = platci_versions__first(check, ch->key);
				!ok && k < platci_versions_count(check); k++) {
				const platci_pin *q = platci_versions_at(check, k);
				if (strcmp(q->key, ch->key) != 0)
					break;
				ok = strcmp(q->value, ch->new_value) == 0;
			}
			if (!ok) {
				platci_diag_entry d = { PLATCI_DIAG_ERROR, PLATCI_EDATA, f->path,
					ch->line, ch->column, 0, NULL, NULL };
				platci_diag_add(pl->diag, &d,
					"after the edit %s does not read as \"%s\"; "
					"nothing was written",
					ch->key, ch->new_value);
				error = PLATCI_EDATA;
				goto done;
			}
		}
	}
done:
	free(by_file);
	platci_versions_free(check);
	platci_buf_dispose(&out);
	return error;
}

/* Values of the changed keys in every environment, for the flowchart. */
static int collect_env_values(planner *pl)
{
	platci_promotion *p = pl->p;
	size_t n = platci_config_env_count(pl->cfg), cells;
	int error = 0;

	if (PLATCI_MUL_OVERFLOW(&cells, n, p->nchanges ? p->nchanges : 1))
		return PLATCI_ENOMEM;
	if (!(p->env_names = calloc(n ? n : 1, sizeof(*p->env_names))) ||
		!(p->env_values = calloc(cells ? cells : 1, sizeof(*p->env_values))))
		return PLATCI_ENOMEM;
	p->nenvs = n;
	for (size_t e = 0; e < n; e++) {
		const platci_env *env = platci_config_env_at(pl->cfg, e);
		platci_versions *own = NULL;
		const platci_versions *set = NULL;

		p->env_names[e] = env->name;
		if (strcmp(env->name, p->to) == 0)
			set = pl->tgt;
		else if (!p->rollback_to && p->from && strcmp(env->name, p->from) == 0)
			set = pl->src;
		else if (p->nchanges && platci_versions_load(&own, pl->cfg, env->name, p->root, NULL) == 0)
			set = own;
		for (size_t c = 0; set && c < p->nchanges; c++) {
			const platci_pin *pin = platci_versions_find(set, p->changes[c].key);
			if (pin && !(p->env_values[c * n + e] = pstr(p, pin->value)))
				error = PLATCI_ENOMEM;
		}
		platci_versions_free(own);
		if (error)
			break;
	}
	return error;
}

static int check_order(planner *pl, const platci_env *from, const platci_env *to)
{
	platci_promotion *p = pl->p;
	char reason[512] = "";
	int r;

	if (from && !pl->opts->rollback_to &&
		(!to->promote_from || strcmp(to->promote_from, from->name) != 0) && !pl->opts->force) {
		int error;
		if (to->promote_from)
			error = refuse(p,
				"%s promotes from %s, not from %s; pass --force with --reason "
				"to skip the order",
				to->name, to->promote_from, from->name);
		else
			error = refuse(p,
				"%s promotes from no environment; pass --force with --reason "
				"to promote into it",
				to->name);
		if (error < 0)
			return error;
	}
	if (pl->opts->frozen) {
		r = pl->opts->frozen(to->name, pl->opts->now, reason, sizeof(reason),
			pl->opts->frozen_payload);
		if (r < 0)
			return r;
		reason[sizeof(reason) - 1] = '\0';
		if (r > 0 && (r = refuse(p, "%s is frozen: %s", to->name,
				      reason[0] ? reason : "a freeze window is open")) < 0)
			return r;
	}
	if (from && !pl->opts->rollback_to && pl->opts->source_ready) {
		reason[0] = '\0';
		r = pl->opts->source_ready(from->name, reason, sizeof(reason), pl->opts->ready_payload);
		if (r < 0)
			return r;
		reason[sizeof(reason) - 1] = '\0';
		if (r == 0 && (r = refuse(p, "%s is not Ready on its current revision: %s",
				       from->name, reason[0] ? reason : "no reason given")) < 0)
			return r;
	}
	return 0;
}

/* How many pins each side has, for a "nothing to promote" that says why. */
static int count_pins(planner *pl)
{
	const char *const *pat = platci_config_substitute_patterns(pl->cfg);
	platci_buf list = PLATCI_BUF_INIT;
	platci_promotion *p = pl->p;
	int error;

	for (size_t i = 0; i < platci_versions_count(pl->src); i++)
		p->source_pins += selected(pl, platci_versions_at(pl->src, i));
	for (size_t i = 0; i < platci_versions_count(pl->tgt); i++)
		p->target_pins += selected(pl, platci_versions_at(pl->tgt, i));
	p->only = pl->opts->only != NULL;
	for (size_t i = 0; pat && pat[i]; i++)
		platci_buf_printf(&list, "%s%s", i ? ", " : "", pat[i]);
	error = list.error;
	if (!error && list.size && !(p->substitute = pstr(p, list.ptr)))
		error = PLATCI_ENOMEM;
	platci_buf_dispose(&list);
	return error;
}

static int bad_option(platci_diag *diag, const char *msg)
{
	platci_diag_entry d = { PLATCI_DIAG_ERROR, PLATCI_EINVALID, NULL, 0, 0, 0, NULL, NULL };
	platci_diag_add(diag, &d, "%s", msg);
	return PLATCI_EINVALID;
}

static int unknown_env(const platci_config *cfg, const char *name, platci_diag *diag)
{
	platci_diag_entry d = { PLATCI_DIAG_ERROR, PLATCI_ENOTFOUND, platci_config_path(cfg), 0, 0,
		0, NULL, NULL };
	platci_diag_add(diag, &d, "no environment named \"%s\" in platci.yaml", name);
	return PLATCI_ENOTFOUND;
}

int platci_promotion_plan(platci_promotion **out, const platci_config *cfg,
	const platci_promote_options *opts, platci_diag *diag)
{
	platci_promotion *p = NULL;
	platci_versions *src = NULL, *tgt = NULL;
	platci_vdiff *d = NULL;
	const platci_env *from = NULL, *to = NULL;
	planner pl;
	int error = 0;

	PLATCI_ASSERT_ARG(out && cfg && opts);
	*out = NULL;
	memset(&pl, 0, sizeof(pl));
	if (opts->version != PLATCI_PROMOTE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	if (!opts->to)
		return bad_option(diag, "the target environment is required");
	if (!opts->from && !opts->rollback_to)
		return bad_option(diag, "name a source environment, or a revision to roll back to");
	if (opts->force && (!opts->reason || !*opts->reason))
		return bad_option(diag, "--force needs a --reason that says why");
	if (opts->from && strcmp(opts->from, opts->to) == 0 && !opts->rollback_to)
		return bad_option(diag, "source and target are the same environment");
	if (!(to = platci_config_env(cfg, opts->to)))
		return unknown_env(cfg, opts->to, diag);
	if (opts->from && !(from = platci_config_env(cfg, opts->from)))
		return unknown_env(cfg, opts->from, diag);
	PLATCI_CHECK_ALLOC(p = calloc(1, sizeof(*p)));
	platci_arena_init(&p->arena, 16 * 1024);
	p->from = from ? pstr(p, from->name) : NULL;
	p->to = pstr(p, to->name);
	p->rollback_to = pstr(p, opts->rollback_to);
	p->reason = opts->force ? pstr(p, opts->reason) : NULL;
	p->root = pstr(p, opts->root ? opts->root : platci_config_root(cfg));
	p->force = opts->force;
	p->drop_digest = opts->drop_digest;
	if (!p->to || !p->root || (from && !p->from) || (opts->rollback_to && !p->rollback_to) ||
		(opts->force && !p->reason)) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	pl.p = p;
	pl.cfg = cfg;
	pl.opts = opts;
	pl.diag = diag;
	if ((error = check_order(&pl, from, to)) < 0)
		goto done;
	if (opts->rollback_to)
		error = platci_promote_versions_at(&src, cfg, to->name, p->root, opts->rollback_to, diag);
	else
		error = platci_versions_load(&src, cfg, from->name, p->root, diag);
	if (error < 0 || (error = platci_versions_load(&tgt, cfg, to->name, p->root, diag)) < 0)
		goto done;
	pl.src = src;
	pl.tgt = tgt;
	if ((error = count_pins(&pl)) < 0)
		goto done;
	if ((error = platci_versions_diff(&d, src, tgt)) < 0 || (error = plan_entries(&pl, d)) < 0)
		goto done;
	if (p->nchanges)
		qsort(p->changes, p->nchanges, sizeof(*p->changes), change_cmp);
	if ((error = render_files(&pl)) < 0 || (error = platci_promote__check_policy(p, cfg, opts)) < 0 ||
		(error = collect_env_values(&pl)) < 0)
		goto done;
	*out = p;
	p = NULL;
done:
	platci__strmap_dispose(&pl.file_index);
	platci_vdiff_free(d);
	platci_versions_free(src);
	platci_versions_free(tgt);
	platci_promotion_free(p);
	return error;
}

int platci_promotion_apply(const platci_promotion *p, platci_diag *diag)
{
	platci_yamledit_files *files = NULL;
	platci_buf full = PLATCI_BUF_INIT;
	int error;

	PLATCI_ASSERT_ARG(p);
	if (p->nrefusals)
		return PLATCI_ECONFLICT;
	if ((error = platci_yamledit_files_new(&files)) < 0)
		goto done;
	for (size_t i = 0; i < p->nfiles; i++) {
		if ((error = platci_path_on_disk(&full, p->root, p->files[i].path)) < 0 ||
			(error = platci_yamledit_files_put(files, full.ptr, p->files[i].new_data,
				 p->files[i].new_len)) < 0)
			goto done;
	}
	error = platci_yamledit_files_commit(files, diag);
done:
	platci_buf_dispose(&full);
	platci_yamledit_files_free(files);
	return error;
}
