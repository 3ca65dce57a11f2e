/*
 * Fuzzes the streaming JSON reader with the subscriptions the stages use.
 * A container asked for as text (PLATCI_JSON_STREAM_TEXT) must be exactly
 * the input's bytes that end where the event says, and read alone it must
 * be JSON.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <platci.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(const platci_json_event *ev, void *payload)
{
	(void)payload;
	if (ev->value)
		(void)platci_json_str(ev->value, "address");
	return 0;
}

typedef struct input {
	const uint8_t *data;
	size_t size;
} input;

static int as_text(const platci_json_event *ev, void *payload)
{
	const input *in = payload;
	platci_json_stream *again = NULL;

	if (ev->kind == PLATCI_JSON_STREAM_ENTER)
		return PLATCI_JSON_STREAM_TEXT;
	if (ev->value)
		return 0; /* a scalar has no ENTER: it comes built */
	if (!ev->text || ev->offset < ev->text_len || ev->offset > in->size ||
		memcmp(ev->text, in->data + ev->offset - ev->text_len, ev->text_len) != 0)
		abort(); /* the text is the input's bytes, up to where the container ends */
	if (platci_json_stream_new(&again, NULL) < 0)
		return 0;
	if (platci_json_stream_feed(again, ev->text, ev->text_len, NULL) != 0 ||
		platci_json_stream_finish(again, NULL) != 0)
		abort(); /* and it is JSON by itself */
	platci_json_stream_free(again);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input in = { data, size };
	platci_json_stream *s = NULL;
	platci_json_stream_options o = PLATCI_JSON_STREAM_OPTIONS_INIT;
	size_t half = size / 2;

	o.max_depth = 64;
	o.max_value_bytes = 1 << 20;
	if (platci_json_stream_new(&s, &o) < 0)
		return 0;
	platci_json_stream_on(s, "resource_changes[*]", PLATCI_JSON_STREAM_VALUE, 1, touch, NULL);
	platci_json_stream_on(s, "Results[*].Vulnerabilities[*]", PLATCI_JSON_STREAM_VALUE, 2, touch, NULL);
	platci_json_stream_on(s, "Results[*]", PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_EXIT,
		3, touch, NULL);
	platci_json_stream_on(s, "format_version", PLATCI_JSON_STREAM_VALUE, 4, touch, NULL);
	platci_json_stream_on(s, "resource_drift[*].change.after",
		PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_VALUE, 5, as_text, &in);
	platci_json_stream_on(s, "items[*]", PLATCI_JSON_STREAM_ENTER | PLATCI_JSON_STREAM_VALUE, 6,
		as_text, &in);
	/* Two chunks, so values straddling a boundary are exercised. */
	if (platci_json_stream_feed(s, (const char *)data, half, NULL) == 0 &&
		platci_json_stream_feed(s, (const char *)data + half, size - half, NULL) == 0)
		platci_json_stream_finish(s, NULL);
	platci_json_stream_free(s);
	return 0;
}
