/* Figures rounded to what their error supports: a Monte Carlo estimate
 * known to ± 2.6 has no business showing six decimals, and one within its
 * error of zero is printed as 0 (rounding noise such as -1.4e-15 with it). */
#include <math.h>
#include <stdio.h>
#include "cli.h"

/* Never more significant figures than this, whatever the error. */
#define MAX_DIGITS 6
/* An error below this share of the value is floating-point noise of an
 * exact figure (a difference of equal draws), not a statistical error. */
#define NOISE 1e-9

/* Decimals that show ERROR to DIGITS significant figures, fewer when VALUE
 * would then have more than MAX_DIGITS; NO_ERROR for an error that is not
 * a positive finite number. */
#define NO_ERROR (-1000)
static int decimals_for(double value, double error, int digits)
{
    if (!(error > 0) || !isfinite(error) || !isfinite(value))
        return NO_ERROR;
    int d = digits - 1 - (int)floor(log10(error));
    if (value != 0) {
        int lead = (int)floor(log10(fabs(value)));
        if (lead + 1 + d > MAX_DIGITS)
            d = MAX_DIGITS - 1 - lead;
    }
    return d;
}

/* X to D decimals (D < 0: to the nearest 10^-D) into BUFFER; never "-0". */
static void print_fixed(char *buffer, size_t size, double x, int d)
{
    double unit = pow(10, -d);
    double rounded = round(x / unit) * unit;
    if (rounded == 0)
        rounded = 0;  /* -0 */
    /* fixed notation would run to dozens of digits, or past BUFFER */
    if (fabs(rounded) >= 1e15 || d > 15)
        snprintf(buffer, size, "%.*g", MAX_DIGITS, rounded);
    else
        snprintf(buffer, size, "%.*f", d > 0 ? d : 0, rounded);
}

static int is_noise(double value, double error)
{
    return error > 0 && error < NOISE * fabs(value);
}

const char *format_rounded(char *buffer, size_t size, double value, double error)
{
    if (isfinite(error) && fabs(value) <= error) {
        snprintf(buffer, size, "0");
        return buffer;
    }
    int d = is_noise(value, error) ? NO_ERROR : decimals_for(value, error, 1);
    if (d == NO_ERROR)
        snprintf(buffer, size, "%.*g", MAX_DIGITS, value);
    else
        print_fixed(buffer, size, value, d);
    return buffer;
}

const char *format_estimate(char *buffer, size_t size, double value, double se)
{
    if (!isfinite(se) || !isfinite(value)) {
        snprintf(buffer, size, "%.*g", MAX_DIGITS, value);
        return buffer;
    }
    if (se == 0 || is_noise(value, se)) {
        snprintf(buffer, size, "%.*g ± 0", MAX_DIGITS, value == 0 ? 0 : value);
        return buffer;
    }
    /* the error to two significant figures, the value to the same place */
    char se_text[32];
    int se_d = decimals_for(0, se, 2);
    if (se_d > MAX_DIGITS)  /* 0.000000012 reads better as 1.2e-08 */
        snprintf(se_text, sizeof se_text, "%.2g", se);
    else
        print_fixed(se_text, sizeof se_text, se, se_d);
    if (fabs(value) <= se) {
        snprintf(buffer, size, "0 ± %s", se_text);
        return buffer;
    }
    char value_text[48];
    print_fixed(value_text, sizeof value_text, value, decimals_for(value, se, 2));
    snprintf(buffer, size, "%s ± %s", value_text, se_text);
    return buffer;
}
