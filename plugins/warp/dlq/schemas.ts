// Dead-letter ids and cursors: the item's sequence in the project's DLQ stream, as a decimal string.
import { z } from 'zod';

export const deadLetterIdSchema = z.string().regex(/^[1-9][0-9]{0,15}$/, { message: 'must be a dead-letter id: a positive decimal number as a string, e.g. "12"' });
