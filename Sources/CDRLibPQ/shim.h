#ifndef CDRLIBPQ_SHIM_H
#define CDRLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
