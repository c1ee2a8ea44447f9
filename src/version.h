#ifndef KY_VERSION_H
#define KY_VERSION_H
/* The one place the version is written; the Makefile and man page read it. */
#define KY_VERSION "0.1.0"
#endif
