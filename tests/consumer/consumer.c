/*
 * A program outside the project, built against the installed headers with
 * nothing but `pkg-config --cflags --libs platci`. It uses json_t from a
 * public header and calls jansson itself, as a consumer of platci_json_*
 * must: that links only when platci.pc declares jansson under Requires.
 */
#include <stdio.h>
#include <string.h>
#include <platci.h>

int main(void)
{
	platci_buf b = PLATCI_BUF_INIT;
	json_t *v = NULL;
	const char *doc = "{\"stage\": \"plan\"}";
	int bad = 0;

	if (platci_json_parse(&v, "consumer.json", doc, strlen(doc), NULL) < 0)
		return 1;
	bad |= strcmp(json_string_value(json_object_get(v, "stage")), "plan") != 0;
	json_decref(v);
	platci_buf_printf(&b, "platci %s", platci_version());
	puts(b.ptr);
	platci_buf_dispose(&b);
	bad |= strcmp(platci_version(), PLATCI_VERSION) != 0;
	return bad;
}
