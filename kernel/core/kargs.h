#ifndef CORE_KARGS_H
#define CORE_KARGS_H

void kargs_init(const char *loader_cmdline);
void kargs_print(void);

#endif
