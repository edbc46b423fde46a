/* SPDX-License-Identifier: Apache-2.0 */
/* Fault injection for the crash-consistency tests (configure
 * --enable-fault-injection only; compiled out otherwise): with
 * HUSK_FAULT=OP:N in the environment, husk kills itself with SIGKILL when
 * operation OP (create, start, delete, exec) reaches its step N, as a
 * crash or an OOM kill would. */
#ifndef HUSK_FAULT_H
#define HUSK_FAULT_H

#ifdef HUSK_FAULT_INJECTION
void hk_fault_point (const char *op, int step);
#define HK_FAULT(op, step) hk_fault_point ((op), (step))
#else
#define HK_FAULT(op, step) ((void) 0)
#endif

/* True when this build honours HUSK_FAULT. */
int hk_fault_enabled (void);

#endif
