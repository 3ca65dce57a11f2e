/*
 * Functions that are easy to misuse are made compile errors: every .c in
 * the library includes this last. Use platci_buf, snprintf, strtol.
 */
#ifndef PLATCI_UTIL_BANNED_H
#define PLATCI_UTIL_BANNED_H

#define PLATCI__BANNED(func) sorry_##func##_is_banned_in_platci

#undef strcpy
#define strcpy(x, y) PLATCI__BANNED(strcpy)
#undef strcat
#define strcat(x, y) PLATCI__BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) PLATCI__BANNED(strncpy)
#undef sprintf
#define sprintf(...) PLATCI__BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) PLATCI__BANNED(vsprintf)
#undef strtok
#define strtok(x, y) PLATCI__BANNED(strtok)
#undef atoi
#define atoi(x) PLATCI__BANNED(atoi)
#undef gmtime
#define gmtime(x) PLATCI__BANNED(gmtime)
#undef localtime
#define localtime(x) PLATCI__BANNED(localtime)

#endif
