// Channel publish through the kernel (service:channels), pipelined, against raw js.publish at the same concurrency.
import { channelsServicePlugin, core } from '../lib/layer.js';
import { freshProject, hexId } from '../lib/fabric.js';
import { lanes } from '../lib/rounds.js';
import { row, type Scenario } from '../lib/scenario.js';

const CONCURRENCY = 64;
const BODY = 'status: tests green on the parser branch; starting the lexer next. '.repeat(3);

export const scenario: Scenario = {
  name: 'channel-publish',
  title: 'channel publish through the kernel, pipelined',
  async run({ fabric, size, rounds, compare }) {
    const projectId = freshProject('chan');
    const kernel = await fabric.kernel([channelsServicePlugin], { projectId });
    const channels = kernel.use(core.channelsService).forProject(projectId);
    const from = { agentId: kernel.identity.agentId, projectId };
    await channels.publish('parallel-work', { from, message: 'warm-up' });
    const { js } = await fabric.raw();
    const subject = core.createNames(projectId).channelSubject('parallel-work');
    const ops = size(4000, 300);
    const result = await compare({
      ours: { run: () => lanes(ops, CONCURRENCY, () => channels.publish('parallel-work', { from, message: BODY })) },
      raw: {
        run: () =>
          lanes(ops, CONCURRENCY, () => {
            // The same bytes our layer sends: the JSON envelope with a fresh id, published with that id as message id.
            const id = hexId();
            const payload = JSON.stringify({ id, channel: 'parallel-work', from, message: BODY, sentAt: new Date().toISOString() });
            return js.publish(subject, payload, { msgID: id });
          }),
      },
    });
    await kernel.stop();
    return [
      row(
        { scenario: this.name, operation: 'channels.publish (service:channels)', concurrency: CONCURRENCY, rounds, rawDoes: 'js.publish of the same envelope with a message id' },
        result,
        [{ metric: 'ratio', min: 0.8 }],
      ),
    ];
  },
};
