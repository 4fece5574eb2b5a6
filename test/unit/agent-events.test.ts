import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentEventOf, checkEventOrder, describeFailureFrame } from '../../src/agent/agent-events.ts';

describe('agentEventOf', () => {
  it('reads the real-agent path from type', () => {
    assert.equal(agentEventOf({ type: 'agent_started', run_id: 'r1', data: { status: 'started' } }), 'agent_started');
  });
  it('reads the fallback envelope from data.type', () => {
    assert.equal(
      agentEventOf({ type: 'agent_progress', data: { type: 'tool_executing', payload: { tool_name: 'x' } } }),
      'tool_executing',
    );
    assert.equal(
      agentEventOf({ type: 'agent_response_complete', data: { type: 'agent_completed', content: 'ok' } }),
      'agent_completed',
    );
    assert.equal(agentEventOf({ type: 'system_message', data: { type: 'agent_started' } }), 'agent_started');
  });
  it('reads older frames from data.event', () => {
    assert.equal(agentEventOf({ type: 'system_message', data: { event: 'agent_thinking' } }), 'agent_thinking');
  });
  it('ignores interleaved non-agent frames', () => {
    for (const type of ['heartbeat', 'progress_update', 'pong', 'connection_established', 'agent_response_chunk']) {
      assert.equal(agentEventOf({ type, data: {} }), undefined, type);
    }
    assert.equal(agentEventOf(undefined), undefined);
    assert.equal(agentEventOf('agent_started'), undefined);
  });
  it('recognises failure frames', () => {
    assert.equal(agentEventOf({ type: 'error_message', error_code: 'AUTH_FAILED' }), 'error_message');
    assert.equal(agentEventOf({ type: 'agent_death', data: { death_cause: 'oom' } }), 'agent_death');
  });
});

describe('checkEventOrder', () => {
  it('accepts the golden order with repeats and pairs', () => {
    const r = checkEventOrder([
      'agent_started',
      'agent_thinking',
      'agent_thinking',
      'tool_executing',
      'tool_completed',
      'agent_thinking',
      'agent_completed',
    ]);
    assert.deepEqual(r, { missing: [], outOfOrder: [] });
  });
  it('lists what is missing, in golden order', () => {
    assert.deepEqual(checkEventOrder(['agent_started', 'agent_thinking', 'tool_executing']).missing, [
      'tool_completed',
      'agent_completed',
    ]);
    assert.deepEqual(checkEventOrder([]).missing.length, 5);
  });
  it('names pairs that arrived the wrong way round', () => {
    const r = checkEventOrder([
      'agent_started',
      'agent_thinking',
      'tool_completed',
      'tool_executing',
      'agent_completed',
    ]);
    assert.deepEqual(r.outOfOrder, ['tool_completed before tool_executing']);
  });
});

describe('describeFailureFrame', () => {
  it('joins the error code and message without repeating', () => {
    assert.equal(
      describeFailureFrame('error_message', {
        type: 'error_message',
        error_code: 'AUTH_FAILED',
        error_message: 'Authentication failed',
      }),
      'error_message: AUTH_FAILED: Authentication failed',
    );
    assert.equal(
      describeFailureFrame('agent_error', { type: 'agent_error', data: { error_message: 'LLM down' } }),
      'agent_error: LLM down',
    );
    assert.equal(describeFailureFrame('agent_failed', {}), 'agent_failed');
  });
});
