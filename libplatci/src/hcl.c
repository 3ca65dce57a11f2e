/* The HCL fact scanner (see hcl.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "hcl.h"
#include "util/common.h"
#include "util/banned.h"

typedef struct scanner {
	const char *s;
	size_t len, pos, line, col;
	const char *name;
	platci_diag *diag;
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

/* Reads a quoted string; *out gets its text when it has no interpolation. */
static int read_string(scanner *sc, char **out)
{
	size_t line = sc->line, col = sc->col, start;
	int interp = 0, depth = 0;

	*out = NULL;
	adv(sc);
	start = sc->pos;
	for (;;) {
		int c = peek(sc, 0);
		if (c == -1 || (c == '\n' && depth == 0))
			return serr(sc, line, col, "unterminated string");
		if (c == '\\') {
			adv(sc);
			adv(sc);
			continue;
		}
		if ((c == '$' || c == '%') && peek(sc, 1) == '{') {
			interp = 1;
			depth++;
			adv(sc);
			adv(sc);
			continue;
		}
		if (c == '}' && depth) {
			depth--;
			adv(sc);
			continue;
		}
		if (c == '"' && depth == 0)
			break;
		adv(sc);
	}
	if (!interp && !(*out = platci__strndup(sc->s + start, sc->pos - start)))
		return PLATCI_ENOMEM;
	adv(sc);
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

static int push_block(hcl_file *f, char *type, size_t parent, size_t line, size_t col)
{
	hcl_block *b;
	if (platci__grow_array((void **)&f->blocks, &f->ablocks, f->nblocks + 1, sizeof(*b)) < 0) {
		free(type);
		return PLATCI_ENOMEM;
	}
	b = &f->blocks[f->nblocks++];
	memset(b, 0, sizeof(*b));
	b->type = type;
	b->parent = parent;
	b->line = line;
	b->column = col;
	return 0;
}

/* Skips an expression up to the end of its line (outside brackets). */
static int skip_expr(scanner *sc, hcl_file *f, size_t *stack, size_t *depth, int *opened)
{
	int nest = 0;
	*opened = 0;
	for (;;) {
		int c;
		skip_space(sc, nest == 0);
		c = peek(sc, 0);
		if (c == -1 || (c == '\n' && nest == 0))
			return 0;
		if (c == '"') {
			char *tmp;
			int rc = read_string(sc, &tmp);
			free(tmp);
			if (rc < 0)
				return rc;
		} else if (c == '<' && peek(sc, 1) == '<' && (peek(sc, 2) == '-' || peek(sc, 2) == '~' ||
			   isalpha(peek(sc, 2)))) {
			int rc = skip_heredoc(sc);
			if (rc < 0)
				return rc;
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
	}
	(void)f;
	(void)stack;
	(void)depth;
}

int platci__hcl_scan(hcl_file *out, const char *src, size_t len, const char *name,
	platci_diag *diag)
{
	scanner sc = { src, len, 0, 1, 1, name, diag };
	size_t stack[128], depth = 0;
	int error = 0;

	memset(out, 0, sizeof(*out));
	for (;;) {
		size_t line, col;
		char *id = NULL;
		int c;

		skip_space(&sc, 0);
		c = peek(&sc, 0);
		if (c == -1)
			break;
		line = sc.line;
		col = sc.col;
		if (c == '}') {
			if (!depth) {
				error = serr(&sc, line, col, "unbalanced \"}\"");
				goto done;
			}
			depth--;
			adv(&sc);
			continue;
		}
		if (c == '"' && depth) {
			/* an object's quoted key: "app.kubernetes.io/name" = "web" */
			if ((error = read_string(&sc, &id)) < 0)
				goto done;
		} else if (!ident(&sc)) {
			error = serr(&sc, line, col, "expected an attribute or a block");
			goto done;
		} else if (!(id = read_ident(&sc))) {
			error = PLATCI_ENOMEM;
			goto done;
		}
		skip_space(&sc, 1);
		if (peek(&sc, 0) == '=' && peek(&sc, 1) != '=') {
			hcl_attr *a;
			int opened;
			adv(&sc);
			skip_space(&sc, 1);
			if (peek(&sc, 0) == '{' && !opens_for_expr(&sc)) {
				/* an object value: enter it like a block */
				if ((error = push_block(out, id, depth ? stack[depth - 1] : HCL_TOP, line,
					     col)) < 0)
					goto done;
				if (depth >= PLATCI_ARRAY_SIZE(stack)) {
					error = serr(&sc, line, col, "nesting too deep");
					goto done;
				}
				stack[depth++] = out->nblocks - 1;
				adv(&sc);
				continue;
			}
			if (platci__grow_array((void **)&out->attrs, &out->aattrs, out->nattrs + 1,
				    sizeof(*a)) < 0) {
				free(id);
				error = PLATCI_ENOMEM;
				goto done;
			}
			a = &out->attrs[out->nattrs++];
			memset(a, 0, sizeof(*a));
			a->name = id;
			a->block = depth ? stack[depth - 1] : HCL_TOP;
			a->line = line;
			a->column = col;
			if (peek(&sc, 0) == '"') {
				if ((error = read_string(&sc, &a->value)) < 0)
					goto done;
				skip_space(&sc, 1);
				if (peek(&sc, 0) != '\n' && peek(&sc, 0) != -1 && peek(&sc, 0) != '}' &&
				    peek(&sc, 0) != ',') {
					free(a->value); /* "a" + b: not one literal */
					a->value = NULL;
				}
			}
			if ((error = skip_expr(&sc, out, stack, &depth, &opened)) < 0)
				goto done;
			if (peek(&sc, 0) == ',')
				adv(&sc);
			continue;
		}
		/* a block: type, labels, { */
		if ((error = push_block(out, id, depth ? stack[depth - 1] : HCL_TOP, line, col)) < 0)
			goto done;
		for (;;) {
			hcl_block *b = &out->blocks[out->nblocks - 1];
			skip_space(&sc, 1);
			c = peek(&sc, 0);
			if (c == '"' || ident(&sc)) {
				char *label = NULL;
				if (c == '"') {
					if ((error = read_string(&sc, &label)) < 0)
						goto done;
				} else if (!(label = read_ident(&sc))) {
					error = PLATCI_ENOMEM;
					goto done;
				}
				if (b->nlabels < 2 && label)
					b->labels[b->nlabels++] = label;
				else
					free(label);
				continue;
			}
			if (c == '{') {
				adv(&sc);
				if (depth >= PLATCI_ARRAY_SIZE(stack)) {
					error = serr(&sc, line, col, "nesting too deep");
					goto done;
				}
				stack[depth++] = out->nblocks - 1;
				break;
			}
			error = serr(&sc, sc.line, sc.col, "expected \"=\" or a block body \"{\"");
			goto done;
		}
	}
	if (depth)
		error = serr(&sc, out->blocks[stack[depth - 1]].line,
			out->blocks[stack[depth - 1]].column, "block is not closed");
done:
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
