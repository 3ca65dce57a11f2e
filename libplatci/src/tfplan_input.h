/* The byte layer in front of the plan's JSON parser (see tfplan_input.c). */
#ifndef PLATCI_TFPLAN_INPUT_H
#define PLATCI_TFPLAN_INPUT_H

#include "platci/buf.h"
#include "platci/diag.h"

/* Returned by the JSON feeder when the root object has closed. */
#define TFPLAN_ROOT_DONE (-1000)
/* Returned by the full stream's callback when it is no longer needed. */
#define TFPLAN_FULL_STOP (-1001)

typedef enum { TFPLAN_UTF8 = 0, TFPLAN_UTF16LE, TFPLAN_UTF16BE } tfplan_encoding;

typedef int (*tfplan_json_feed)(void *payload, const char *data, size_t len, platci_diag *diag);

typedef struct tfplan_input {
	const char *name;
	int strict_wrapper;
	tfplan_json_feed feed;
	void *payload;
	int error;

	unsigned char head[4];
	size_t headn;
	int decided;
	tfplan_encoding encoding;
	size_t bom;
	unsigned char u16[2];
	size_t u16n;
	unsigned long high;
	platci_buf scratch; /* UTF-16 transcoded to UTF-8 */
	platci_buf lead; /* the text before the JSON, with wrapper lines blanked */
	size_t consumed; /* raw bytes taken */

	int started; /* the '{' was seen */
	int blanking; /* inside a wrapper line */
	size_t lead_len; /* bytes of "[command]" matched */
	size_t line, col;

	size_t json_fed, json_fed_before;
	const char *cur;
	int done;
	size_t root_end; /* JSON offset just past the root object */
	size_t root_line;
	size_t root_col;
	size_t trail_line, trail_col;
	int trail_skip_line;

	int warn_bom, warn_utf16, warn_wrapper, warn_trailer;
} tfplan_input;

void platci_tfplan__input_init(tfplan_input *in, const char *name, int strict_wrapper);
int platci_tfplan__input_feed(tfplan_input *in, const void *data, size_t len, platci_diag *diag);
int platci_tfplan__input_finish(tfplan_input *in, platci_diag *diag);
void platci_tfplan__input_dispose(tfplan_input *in);

#endif
