/*
 * What a failed condition says, and which enforcement a rule has: shared by
 * the manifest evaluator (policy_eval.c) and the plan evaluator
 * (policy_plan.c), so a rule reads the same whatever it judges.
 */
#include <string.h>

#include "policy_int.h"
#include "util/common.h"
#include "util/banned.h"

const char *platci_policy__op_text(const pol_op *op)
{
	switch (op->type) {
	case OP_EXISTS:
		return op->flag ? "must be set" : "must not be set";
	case OP_ABSENT:
		return op->flag ? "must be absent" : "must be present";
	case OP_ABSENT_OR:
		return "must be absent or satisfy the rule";
	case OP_EQUALS:
		return "must equal";
	case OP_NOT_EQUALS:
		return "must not equal";
	case OP_IN:
		return "must be one of";
	case OP_NOT_IN:
		return "must not be one of";
	case OP_REGEX:
		return "must match the pattern";
	case OP_NOT_REGEX:
		return "must not match the pattern";
	case OP_GLOB:
		return "must match";
	case OP_QUANTITY:
		return "is outside the allowed quantity";
	case OP_IMAGE_REGISTRY:
		return "comes from a registry that is not allowed";
	case OP_IMAGE_TAG:
		return "is not pinned to an allowed tag or digest";
	case OP_IMAGE_DIGEST:
		return "does not have the required digest";
	case OP_ALL_OF:
		return "does not satisfy every condition";
	case OP_ANY_OF:
		return "satisfies none of the alternatives";
	case OP_NOT:
		return "matches a forbidden condition";
	case OP_HAS_KEY:
		return "has no key matching";
	case OP_RELATED:
		return "has no matching related object";
	}
	return "fails";
}

static void describe_values(platci_buf *b, const platci_node *v)
{
	if (!v)
		return;
	if (platci_node_type_of(v) == PLATCI_NODE_SCALAR) {
		platci_buf_printf(b, " \"%s\"", platci_node_scalar(v, NULL));
		return;
	}
	platci_buf_puts(b, " [");
	for (size_t i = 0; i < platci_node_count(v); i++)
		platci_buf_printf(b, "%s%s", i ? ", " : "",
			platci_node_scalar(platci_node_item_at(v, i), NULL)
				? platci_node_scalar(platci_node_item_at(v, i), NULL)
				: "?");
	platci_buf_putc(b, ']');
}

void platci_policy__describe_op(platci_buf *b, const pol_op *op)
{
	if (op->type == OP_EQUALS || op->type == OP_NOT_EQUALS || op->type == OP_IN ||
		op->type == OP_NOT_IN || op->type == OP_GLOB)
		describe_values(b, op->value);
	else if ((op->type == OP_IMAGE_REGISTRY || op->type == OP_IMAGE_TAG) && op->in)
		describe_values(b, op->in);
}

int platci_policy__failure_text(platci_buf *b, const pol_rule *r, const pol_cond *cond,
	const pol_op *op, const char *subject)
{
	if (r->message) {
		platci_buf_puts(b, r->message);
		return 0;
	}
	if (r->title)
		platci_buf_printf(b, "%s: ", r->title);
	platci_buf_printf(b, "%s %s", cond->path ? cond->path : subject,
		op ? platci_policy__op_text(op) : "fails");
	if (op)
		platci_policy__describe_op(b, op);
	return 1;
}

int platci_policy__enforcement(const platci_policy *p, const pol_rule *r, const char *env)
{
	const platci_node *maps[2] = { r->enforcement, p->enforcement };

	for (size_t pass = 0; pass < 2; pass++) {
		const char *key = pass == 0 ? env : "default";
		if (!key)
			continue;
		for (size_t i = 0; i < 2; i++) {
			const char *v = maps[i] ? platci_node_get_str(maps[i], key) : NULL;
			if (v)
				return strcmp(v, "deny") == 0 ? PLATCI_ENFORCE_DENY : PLATCI_ENFORCE_WARN;
		}
	}
	return PLATCI_ENFORCE_WARN;
}
