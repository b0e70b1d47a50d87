// Checks of a staged root rotation (caRotation) that relate it to the mesh's CA settings: which kind of new
// root it names (generated or your own, never both), that a generated one gets resources of its own, that
// your own comes with its key as a secret and is a usable root, and that the new root outlives the
// intermediates it will sign. The order of the stages is checked by the schema.
import { caRootProblems } from "./caRoot";
import type { Rule } from "./rules";

const NEW_ROOT = "caRotation.newRoot";
const NEW_KEY = "caRotationNewRootPrivateKey";
const GENERATED_ONLY = ["name", "validityHours"] as const;

/** DER-insensitive comparison is not needed: the same PEM text is the same root for our purpose. */
const samePem = (a: string, b: string) => a.replace(/\s+/g, "") === b.replace(/\s+/g, "");

export const caRotationRule: Rule = {
  what: "the staged root rotation (caRotation) against the mesh's CA settings",
  needs: [
    "caRotation",
    "caRootName",
    "caRootCertificate",
    "caRootValidityHours",
    "caIntermediateValidityHours",
  ],
  check: ({ settings, caRotationNewRootPrivateKey, now }) => {
    const rotation = settings.caRotation;
    if (rotation === undefined) {
      return caRotationNewRootPrivateKey === undefined
        ? []
        : [
            `${NEW_KEY}: is set but no rotation is in progress (caRotation): remove it (pulumi config rm ${NEW_KEY})`,
          ];
    }
    const { newRoot } = rotation;
    const intermediate = settings.caIntermediateValidityHours!;
    if (newRoot.certificate !== undefined) {
      const problems = GENERATED_ONLY.filter((k) => newRoot[k] !== undefined).map(
        (k) => `${NEW_ROOT}.${k}: applies to a generated new root, not to your own (${NEW_ROOT}.certificate)`,
      );
      problems.push(
        ...caRootProblems({
          certificate: newRoot.certificate,
          privateKey: caRotationNewRootPrivateKey,
          intermediateValidityHours: intermediate,
          now,
          fields: { certificate: `${NEW_ROOT}.certificate`, privateKey: NEW_KEY },
        }),
      );
      if (
        settings.caRootCertificate !== undefined &&
        samePem(settings.caRootCertificate, newRoot.certificate)
      ) {
        problems.push(
          `${NEW_ROOT}.certificate: is the mesh's current root (caRootCertificate): give the new one`,
        );
      }
      return problems;
    }
    const problems: string[] = [];
    if (caRotationNewRootPrivateKey !== undefined) {
      problems.push(
        `${NEW_KEY}: belongs to your own new root: set ${NEW_ROOT}.certificate too, or remove the key`,
      );
    }
    if (newRoot.name === undefined) {
      problems.push(
        `${NEW_ROOT}.name: is required for a generated new root (its resources are mesh-ca-root-<name>), or give ${NEW_ROOT}.certificate`,
      );
    } else if (newRoot.name === settings.caRootName) {
      problems.push(
        `${NEW_ROOT}.name: "${newRoot.name}" is the current root's name (caRootName): pick another`,
      );
    }
    const validity = newRoot.validityHours ?? settings.caRootValidityHours!;
    if (intermediate >= validity) {
      problems.push(
        `${NEW_ROOT}.validityHours: ${validity} must be longer than caIntermediateValidityHours (${intermediate})`,
      );
    }
    return problems;
  },
};
