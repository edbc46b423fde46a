/* SPDX-License-Identifier: Apache-2.0 */
/* HUSK_API marks what libhusk.so exports; everything else is hidden. */
#ifndef HUSK_EXPORT_H
#define HUSK_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define HUSK_API __attribute__ ((visibility ("default")))
#else
#define HUSK_API
#endif

#endif
