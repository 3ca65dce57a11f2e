/*
 * The HCL fact scanner (see hcl.h). It reads what validation needs
 * (blocks with labels, attributes whose value is one string literal,
 * object values entered like blocks) and steps over every other
 * expression by bracket and string structure alone. It is not a syntax
 * checker: where it stops, the caller says it could not read the file's
 * facts, and terraform itself judges the syntax.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "hcl.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_NESTING 128

typedef struct scanner {
	const char *s;
	size_t len, pos, line, col;
	const char *name;
	platci_diag *diag;
	hcl_file *out;
	size_t stack[MAX_NESTING]; /* open blocks and object values */
	unsigned char is_object[MAX_NESTING];
	size_t depth;
} scanner;

static void adv(scanner *sc)
{
	if (sc->pos >= sc->len)
		return;
	if (sc->s[sc->pos] == '\n') {
		sc->line++;
		sc->col = 1;
	} else {
		sc->col++;
	}
	sc->pos++;
}

static int peek(const scanner *sc, size_t k)
{
	return sc->pos + k < sc->len ? (unsigned char)sc->s[sc->pos + k] : -1;
}

static int serr(scanner *sc, size_t line, size_t col, const char *msg)
{
	platci_diag_entry e;

	memset(&e, 0, sizeof(e));
	e.code = PLATCI_ESYNTAX;
	e.source = sc->name;
	e.line = line;
	e.column = col;
	platci_diag_add(sc->diag, &e, "%s", msg);
	return PLATCI_ESYNTAX;
}

/* Skips blanks and comments; stops at a newline when @p stop_nl. */
static void skip_space(scanner *sc, int stop_nl)
{
	for (;;) {
		int c = peek(sc, 0);
		if (c == '\n' && stop_nl)
			return;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			adv(sc);
		} else if (c == '#' || (c == '/' && peek(sc, 1) == '/')) {
			while (peek(sc, 0) != -1 && peek(sc, 0) != '\n')
				adv(sc);
		} else if (c == '/' && peek(sc, 1) == '*') {
			adv(sc);
			adv(sc);
			while (peek(sc, 0) != -1 && !(peek(sc, 0) == '*' && peek(sc, 1) == '/'))
				adv(sc);
			adv(sc);
			adv(sc);
		} else {
			return;
		}
	}
}

static int skip_string(scanner *sc, int *interp, size_t nesting);

/*
 * Steps over the expression of a `${...}` or `%{...}` up to its closing
 * brace: braces of object constructors inside it nest, and strings inside
 * it are templates of their own (`"${format("%s-{x}", var.a)}"`).
 */
static int skip_interpolation(scanner *sc, size_t line, size_t col, size_t nesting)
{
	size_t depth = 0;
	int ignored;

	for (;;) {
		int c = peek(sc, 0);
		if (c == -1)
			return serr(sc, line, col, "unterminated string");
		if (c == '"') {
			int rc = skip_string(sc, &ignored, nesting + 1);
			if (rc < 0)
				return rc;
			continue;
		}
		if (c == '{') {
			depth++;
		} else if (c == '}') {
			if (!depth) {
				adv(sc);
				return 0;
			}
			depth--;
		}
		adv(sc);
	}
}

/* Steps over a quoted template at the cursor; *interp says whether it held more than literal text. */
static int skip_string(scanner *sc, int *interp, size_t nesting)
{
	size_t line = sc->line, col = sc->col;

	*interp = 0;
	if (nesting > MAX_NESTING)
		return serr(sc, line, col, "strings nested too deep");
	adv(sc);
	for (;;) {
		int c = peek(sc, 0);
		if (c == -1 || c == '\n')
			return serr(sc, line, col, "unterminated string");
		if (c == '"') {
			adv(sc);
			return 0;
		}
		if (c == '\\') {
			adv(sc);
			adv(sc);
			continue;
		}
		if ((c == '$' || c == '%') && peek(sc, 1) == c && peek(sc, 2) == '{') {
			*interp = 1; /* `$${` is a literal `${`: the text is not the value as written */
			adv(sc);
			adv(sc);
			adv(sc);
			continue;
		}
		if ((c == '$' || c == '%') && peek(sc, 1) == '{') {
			int rc;
			*interp = 1;
			adv(sc);
			adv(sc);
			if ((rc = skip_interpolation(sc, line, col, nesting)) < 0)
				return rc;
			continue;
		}
		adv(sc);
	}
}

/* Reads a quoted string; *out gets its text when it is one literal, else stays NULL. */
static int read_string(scanner *sc, char **out)
{
	size_t start = sc->pos + 1;
	int interp, rc;

	*out = NULL;
	if ((rc = skip_string(sc, &interp, 0)) < 0)
		return rc;
	if (!interp && !(*out = platci__strndup(sc->s + start, sc->pos - 1 - start)))
		return PLATCI_ENOMEM;
	return 0;
}

static int skip_heredoc(scanner *sc)
{
	size_t line = sc->line, col = sc->col, ms, ml;
	adv(sc);
	adv(sc);
	if (peek(sc, 0) == '-' || peek(sc, 0) == '~')
		adv(sc);
	ms = sc->pos;
	while (peek(sc, 0) != -1 && (isalnum(peek(sc, 0)) || peek(sc, 0) == '_'))
		adv(sc);
	ml = sc->pos - ms;
	if (!ml)
		return serr(sc, line, col, "heredoc without a marker");
	for (;;) {
		size_t p;
		while (peek(sc, 0) != -1 && peek(sc, 0) != '\n')
			adv(sc);
		if (peek(sc, 0) == -1)
			return serr(sc, line, col, "unterminated heredoc");
		adv(sc);
		p = sc->pos;
		while (p < sc->len && (sc->s[p] == ' ' || sc->s[p] == '\t'))
			p++;
		if (p + ml <= sc->len && memcmp(sc->s + p, sc->s + ms, ml) == 0 &&
			(p + ml == sc->len || sc->s[p + ml] == '\n' || sc->s[p + ml] == '\r')) {
			while (sc->pos < p + ml)
				adv(sc);
			return 0;
		}
	}
}

static int ident(const scanner *sc)
{
	int c = peek(sc, 0);
	return c != -1 && (isalpha(c) || c == '_');
}

/* 1 when the '{' at the cursor opens a `for` expression, not an object. */
static int opens_for_expr(const scanner *sc)
{
	size_t i = sc->pos + 1;

	while (i < sc->len && isspace((unsigned char)sc->s[i]))
		i++;
	return i + 3 < sc->len && memcmp(sc->s + i, "for", 3) == 0 &&
	       isspace((unsigned char)sc->s[i + 3]);
}

static char *read_ident(scanner *sc)
{
	size_t start = sc->pos;
	while (peek(sc, 0) != -1 && (isalnum(peek(sc, 0)) || peek(sc, 0) == '_' || peek(sc, 0) == '-'))
		adv(sc);
	return platci__strndup(sc->s + start, sc->pos - start);
}

static size_t current(const scanner *sc)
{
	return sc->depth ? sc->stack[sc->depth - 1] : HCL_TOP;
}

static int in_object(const scanner *sc)
{
	return sc->depth && sc->is_object[sc->depth - 1];
}

/* Opens block or object value @p type (taken) at @p line:@p col. */
static int open_block(scanner *sc, char *type, int is_object, size_t line, size_t col)
{
	hcl_file *f = sc->out;
	hcl_block *b;

	if (sc->depth >= MAX_NESTING) {
		free(type);
		return serr(sc, line, col, "nesting too deep");
	}
	if (platci__grow_array((void **)&f->blocks, &f->ablocks, f->nblocks + 1, sizeof(*b)) < 0) {
		free(type);
		return PLATCI_ENOMEM;
	}
	b = &f->blocks[f->nblocks++];
	memset(b, 0, sizeof(*b));
	b->type = type;
	b->parent = current(sc);
	b->line = line;
	b->column = col;
	sc->stack[sc->depth] = f->nblocks - 1;
	sc->is_object[sc->depth++] = (unsigned char)is_object;
	return 0;
}

/*
 * Skips an expression up to the end of its line, a ',' between object
 * items, or the brace that closes the enclosing body (all outside
 * brackets).
 */
static int skip_expr(scanner *sc)
{
	int nest = 0, ignored, rc = 0;

	for (;;) {
		int c;
		skip_space(sc, nest == 0);
		c = peek(sc, 0);
		if (c == -1 || (nest == 0 && (c == '\n' || c == ',')))
			return 0;
		if (c == '"') {
			rc = skip_string(sc, &ignored, 0);
		} else if (c == '<' && peek(sc, 1) == '<' &&
			   (peek(sc, 2) == '-' || peek(sc, 2) == '~' || isalpha(peek(sc, 2)))) {
			rc = skip_heredoc(sc);
		} else if (c == '(' || c == '[' || c == '{') {
			nest++;
			adv(sc);
		} else if (c == ')' || c == ']' || c == '}') {
			if (nest == 0)
				return 0; /* closes the enclosing block */
			nest--;
			adv(sc);
		} else {
			adv(sc);
		}
		if (rc < 0)
			return rc;
	}
}

/* Steps over a parenthesised expression (an object key such as `(local.k)`). */
static int skip_group(scanner *sc)
{
	size_t line = sc->line, col = sc->col, nest = 0;
	int ignored, rc;

	for (;;) {
		int c = peek(sc, 0);
		if (c == -1)
			return serr(sc, line, col, "unbalanced \"(\"");
		if (c == '"') {
			if ((rc = skip_string(sc, &ignored, 0)) < 0)
				return rc;
			continue;
		}
		adv(sc);
		if (c == '(')
			nest++;
		else if (c == ')' && --nest == 0)
			return 0;
	}
}

/* The value of attribute @p name (taken): an object is entered like a block, else it is recorded. */
static int scan_value(scanner *sc, char *name, size_t line, size_t col)
{
	hcl_file *f = sc->out;
	hcl_attr *a;
	int rc;

	skip_space(sc, 1);
	if (peek(sc, 0) == '{' && !opens_for_expr(sc)) {
		adv(sc);
		return open_block(sc, name, 1, line, col);
	}
	if (platci__grow_array((void **)&f->attrs, &f->aattrs, f->nattrs + 1, sizeof(*a)) < 0) {
		free(name);
		return PLATCI_ENOMEM;
	}
	a = &f->attrs[f->nattrs++];
	memset(a, 0, sizeof(*a));
	a->name = name;
	a->block = current(sc);
	a->line = line;
	a->column = col;
	a->expr_start = sc->pos;
	if (peek(sc, 0) == '"') {
		if ((rc = read_string(sc, &a->value)) < 0)
			return rc;
		skip_space(sc, 1);
		if (peek(sc, 0) != '\n' && peek(sc, 0) != -1 && peek(sc, 0) != '}' && peek(sc, 0) != ',') {
			free(a->value); /* "a" + b: not one literal */
			a->value = NULL;
		}
	}
	rc = skip_expr(sc);
	a->expr_end = sc->pos;
	return rc;
}

/* Block labels up to the '{' that opens the body of block @p type (taken). */
static int scan_block(scanner *sc, char *type, size_t line, size_t col)
{
	char *labels[2] = { NULL, NULL };
	size_t nlabels = 0;
	int rc;

	for (;;) {
		int c;
		char *label = NULL;

		skip_space(sc, 1);
		c = peek(sc, 0);
		if (c == '{')
			break;
		if (c == '"')
			rc = read_string(sc, &label);
		else if (ident(sc))
			rc = (label = read_ident(sc)) ? 0 : PLATCI_ENOMEM;
		else
			rc = serr(sc, sc->line, sc->col, "expected \"=\" or a block body \"{\"");
		if (rc == 0 && nlabels < 2 && label)
			labels[nlabels++] = label;
		else
			free(label);
		if (rc < 0) {
			free(type);
			free(labels[0]);
			free(labels[1]);
			return rc;
		}
	}
	adv(sc);
	if ((rc = open_block(sc, type, 0, line, col)) < 0) {
		free(labels[0]);
		free(labels[1]);
		return rc;
	}
	memcpy(sc->out->blocks[sc->out->nblocks - 1].labels, labels, sizeof(labels));
	sc->out->blocks[sc->out->nblocks - 1].nlabels = nlabels;
	return 0;
}

/*
 * An item's name: an identifier; in an object also a quoted string, a
 * number or a parenthesised expression. *out is "" for a key that is
 * not a literal (`"${var.k}"`, `(local.k)`).
 */
static int scan_key(scanner *sc, char **out)
{
	int c = peek(sc, 0), rc = 0;

	*out = NULL;
	if (c == '"' && sc->depth)
		rc = read_string(sc, out);
	else if (c == '(' && in_object(sc))
		rc = skip_group(sc);
	else if (ident(sc) || (in_object(sc) && isdigit(c)))
		return (*out = read_ident(sc)) ? 0 : PLATCI_ENOMEM;
	else
		return serr(sc, sc->line, sc->col, "expected an attribute or a block");
	if (rc == 0 && !*out && !(*out = platci__strdup("")))
		rc = PLATCI_ENOMEM;
	return rc;
}

/* One item of a body: `}` closing it, an attribute (`=`, or `:` in an object), or a block. */
static int scan_item(scanner *sc)
{
	size_t line = sc->line, col = sc->col;
	char *name = NULL;
	int c = peek(sc, 0), rc;

	if (c == '}') {
		if (!sc->depth)
			return serr(sc, line, col, "unbalanced \"}\"");
		sc->depth--;
		adv(sc);
		return 0;
	}
	if (c == ',') { /* between object items; a stray one in a block is terraform's to judge */
		adv(sc);
		return 0;
	}
	if ((rc = scan_key(sc, &name)) < 0)
		return rc;
	skip_space(sc, 1);
	c = peek(sc, 0);
	if ((c == '=' && peek(sc, 1) != '=') || c == ':') {
		adv(sc);
		return scan_value(sc, name, line, col);
	}
	return scan_block(sc, name, line, col);
}

int platci__hcl_scan(hcl_file *out, const char *src, size_t len, const char *name, platci_diag *diag)
{
	scanner *sc = calloc(1, sizeof(*sc));
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (!sc)
		return PLATCI_ENOMEM;
	sc->s = src;
	sc->len = len;
	sc->line = sc->col = 1;
	sc->name = name;
	sc->diag = diag;
	sc->out = out;
	for (;;) {
		skip_space(sc, 0);
		if (peek(sc, 0) == -1)
			break;
		if ((error = scan_item(sc)) < 0)
			break;
	}
	if (!error && sc->depth) {
		const hcl_block *b = &out->blocks[sc->stack[sc->depth - 1]];
		error = serr(sc, b->line, b->column, "block is not closed");
	}
	free(sc);
	if (error < 0)
		platci__hcl_dispose(out);
	return error;
}

void platci__hcl_dispose(hcl_file *f)
{
	for (size_t i = 0; i < f->nblocks; i++) {
		free(f->blocks[i].type);
		free(f->blocks[i].labels[0]);
		free(f->blocks[i].labels[1]);
	}
	for (size_t i = 0; i < f->nattrs; i++) {
		free(f->attrs[i].name);
		free(f->attrs[i].value);
	}
	free(f->blocks);
	free(f->attrs);
	memset(f, 0, sizeof(*f));
}

const char *platci__hcl_attr(const hcl_file *f, size_t b, const char *name, const hcl_attr **at)
{
	for (size_t i = 0; i < f->nattrs; i++) {
		if (f->attrs[i].block == b && strcmp(f->attrs[i].name, name) == 0) {
			if (at)
				*at = &f->attrs[i];
			return f->attrs[i].value ? f->attrs[i].value : "";
		}
	}
	if (at)
		*at = NULL;
	return NULL;
}
