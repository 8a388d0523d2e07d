/* The Sobol' direction-number table of design.c, generated into
 * design_directions.c by scripts/sobol-directions.py (which says where its
 * numbers come from). */
#ifndef FUNNELMC_DESIGN_DIRECTIONS_H
#define FUNNELMC_DESIGN_DIRECTIONS_H

#include <stdint.h>

/* Dimension d, 1 <= d < fmc_design_qmc_dimensions, is the row starting at
 * fmc_joe_kuo_numbers[fmc_joe_kuo_rows[d - 1]]: the degree s of its primitive
 * polynomial, the polynomial's interior coefficients a (bit s - 1 - k is
 * the coefficient of x^(s - k), 0 < k < s), then the initial direction
 * integers m_1 .. m_s (m_k odd, below 2^k). */
extern const uint16_t fmc_joe_kuo_numbers[];
extern const uint32_t fmc_joe_kuo_rows[];

#endif
