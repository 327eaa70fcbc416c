#ifndef KOBJ_EXCEPTION_H
#define KOBJ_EXCEPTION_H

#include <stddef.h>
#include <stdint.h>

#include "kobj/kobject.h"

/*
 * Serializes a CapException {type, message} as a framed message into buf;
 * returns its length (0 if it cannot fit, which a 64 KiB buffer and a
 * static message never cause).
 */
uint32_t kexception_encode(enum rpc_exc type, const char *message, uint8_t *buf,
                           size_t cap);

#endif
