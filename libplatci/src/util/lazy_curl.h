/*
 * libcurl, loaded when a run first talks to GitLab instead of when every
 * runner starts (see lazy.c). Include this instead of <curl/curl.h>: the
 * calls keep their names.
 */
#ifndef PLATCI_UTIL_LAZY_CURL_H
#define PLATCI_UTIL_LAZY_CURL_H

#include <curl/curl.h>

typedef struct platci__curl_api {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *h);
	void (*easy_reset)(CURL *h);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
} platci__curl_api;

/* The functions; when libcurl cannot be loaded, stubs that fail (init gives NULL). */
const platci__curl_api *platci__curl(void);

#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_init platci__curl()->easy_init
#define curl_easy_setopt platci__curl()->easy_setopt
#define curl_easy_perform platci__curl()->easy_perform
#define curl_easy_getinfo platci__curl()->easy_getinfo
#define curl_easy_cleanup platci__curl()->easy_cleanup
#define curl_easy_reset platci__curl()->easy_reset
#define curl_easy_strerror platci__curl()->easy_strerror
#define curl_slist_append platci__curl()->slist_append
#define curl_slist_free_all platci__curl()->slist_free_all

#endif
