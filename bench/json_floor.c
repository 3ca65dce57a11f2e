/*
 * The floor for the JSON readers: a whole process that reads a file in
 * 256 KiB blocks (read(2), as json_stream.c does) and makes one bare yajl
 * pass over it. Every callback is set and only counts, so yajl does all
 * the work it does for platci (string unescaping included) and nothing
 * else happens. platci-plan, platci-drift and platci-scan are measured
 * against this process in bench/floor.sh.
 *
 * usage: json_floor FILE   (prints the number of tokens)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>

static size_t tokens;

static int on_null(void *ctx)
{
	(void)ctx;
	tokens++;
	return 1;
}
static int on_bool(void *ctx, int b)
{
	(void)ctx;
	(void)b;
	tokens++;
	return 1;
}
static int on_number(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
	tokens++;
	return 1;
}
static int on_string(void *ctx, const unsigned char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
	tokens++;
	return 1;
}
static int on_start(void *ctx)
{
	(void)ctx;
	tokens++;
	return 1;
}
static int on_end(void *ctx)
{
	(void)ctx;
	tokens++;
	return 1;
}

static const yajl_callbacks callbacks = { on_null, on_bool, NULL, NULL, on_number, on_string,
	on_start, on_string, on_end, on_start, on_end };

int main(int argc, char **argv)
{
	static unsigned char block[256 * 1024];
	yajl_handle h;
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 64;
	}
	if ((fd = open(argv[1], O_RDONLY)) < 0) {
		perror(argv[1]);
		return 66;
	}
	h = yajl_alloc(&callbacks, NULL, NULL);
	while ((n = read(fd, block, sizeof(block))) > 0)
		if (yajl_parse(h, block, (size_t)n) != yajl_status_ok) {
			fprintf(stderr, "%s: invalid JSON\n", argv[1]);
			return 65;
		}
	if (n < 0 || yajl_complete_parse(h) != yajl_status_ok) {
		fprintf(stderr, "%s: invalid or unreadable JSON\n", argv[1]);
		return 65;
	}
	yajl_free(h);
	close(fd);
	printf("%zu tokens\n", tokens);
	return 0;
}
