#ifndef CORDON_CZEROMQ_SHIM_H
#define CORDON_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
