// Validity periods a certificate can carry: X.509 encodes notAfter as UTCTime through 2049 and as
// GeneralizedTime (four-digit year) from 2050, so nothing ends after 9999-12-31T23:59:59Z (RFC 5280
// section 4.1.2.5). A longer period is a config error naming its field, not a failure half-way through
// signing.
import type { Rule } from "./rules";

export const X509_LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59);
const HOUR_MS = 3_600_000;

/** The most hours from `now` a certificate can be valid. */
export const maxValidityHours = (now: Date) => Math.floor((X509_LAST_INSTANT - now.getTime()) / HOUR_MS);

export const validityEncodable: Rule = {
  what: "validity periods X.509 can encode",
  needs: ["caRootValidityHours", "caIntermediateValidityHours", "caRootCertificate"],
  check: ({ settings, now }) => {
    const max = maxValidityHours(now);
    const tooLong = (key: string, hours: number) =>
      hours > max
        ? [
            `${key}: ${hours} hours from now ends after 9999-12-31T23:59:59Z, the last time an X.509 certificate ` +
              `can carry (RFC 5280): at most ${max}`,
          ]
        : [];
    return [
      // A bring-your-own root brings its own notAfter; a generated one gets caRootValidityHours.
      ...(settings.caRootCertificate === undefined
        ? tooLong("caRootValidityHours", settings.caRootValidityHours!)
        : []),
      ...tooLong("caIntermediateValidityHours", settings.caIntermediateValidityHours!),
    ];
  },
};
