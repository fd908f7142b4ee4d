#ifndef CDRBZIP2_SHIM_H
#define CDRBZIP2_SHIM_H
#include <bzlib.h>
#endif
