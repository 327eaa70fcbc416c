#ifndef CORE_VERSION_H
#define CORE_VERSION_H

#define CAPOS_VERSION "0.1.0"

#endif
