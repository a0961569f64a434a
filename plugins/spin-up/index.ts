// The built-in spin-up mechanisms: local, ssh, kubernetes, github-actions, webhook.
import { localSpinUp } from './local/index.js';
import { sshSpinUp } from './ssh/index.js';
import { kubernetesSpinUp } from './kubernetes/index.js';
import { githubActionsSpinUp } from './github-actions/index.js';
import { webhookSpinUp } from './webhook/index.js';

export { localSpinUp, sshSpinUp, kubernetesSpinUp, githubActionsSpinUp, webhookSpinUp };

export const spinUpMechanisms = [localSpinUp, sshSpinUp, kubernetesSpinUp, githubActionsSpinUp, webhookSpinUp];
