import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { parseMessages } from './json-rpc-messages.js';
import type { SseEvent } from './sse-parser.js';
import { answers, type PendingAnswer } from './sse-resumption.js';

/**
 * Hands a server's messages to the SDK client, and notes which awaited requests they answer: the answer
 * to a request may come on its own event stream, on another (the GET stream), or in an HTTP error's body.
 */
export class AnswerRouter {
  /** Requests whose answer is awaited on an event stream: an answer on any stream settles them. */
  private readonly awaited = new Map<string | number, PendingAnswer>();

  constructor(
    private readonly deliver: (message: JSONRPCMessage) => void,
    private readonly error: (error: Error) => void,
  ) {}

  await(pending: PendingAnswer): void {
    this.awaited.set(pending.requestId, pending);
  }

  forget(pending: PendingAnswer): void {
    this.awaited.delete(pending.requestId);
  }

  clear(): void {
    this.awaited.clear();
  }

  /** An event from a stream: `pending` is the request whose stream it came on, if any. */
  event(event: SseEvent, pending: PendingAnswer | null = null): void {
    if (event.event !== 'message') return;
    try {
      for (const message of parseMessages(event.data)) {
        if (pending && answers(message, pending)) pending.answered = true;
        // The server may answer on another stream (the GET stream): the request needs no resuming then.
        const id = (message as { id?: unknown }).id;
        const awaited = typeof id === 'string' || typeof id === 'number' ? this.awaited.get(id) : undefined;
        if (awaited && answers(message, awaited)) {
          awaited.answered = true;
          this.awaited.delete(id as string | number);
        }
        this.deliver(message);
      }
    } catch (error) {
      this.error(error as Error);
    }
  }

  /** A JSON answer's body; throws when it holds no valid JSON-RPC message. */
  body(text: string): void {
    for (const message of parseMessages(text)) this.deliver(message);
  }

  /** Delivers a JSON-RPC error answering `pending` from an HTTP error's body; false when it is none. */
  errorBody(text: string, pending: PendingAnswer): boolean {
    try {
      const [message] = parseMessages(text);
      if (!message || !answers(message, pending) || !('error' in message)) return false;
      pending.answered = true;
      this.deliver(message);
      return true;
    } catch {
      return false;
    }
  }
}
