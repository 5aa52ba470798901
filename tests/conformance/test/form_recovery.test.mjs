// forms.spec.js (E2E_SCENARIOS.md §5.2), stage 0: form recovery, FRM-04…10 on the plain
// `/form` (the scenarios are shared with the `?live-component` variant: lib/forms.mjs).
import { setup } from "../lib/harness.mjs";
import { recoveryScenarios } from "../lib/forms.mjs";

const suite = setup();

recoveryScenarios(suite, "");
