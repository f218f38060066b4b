import { IsInt, IsISO8601, IsString, Length, Matches, Min } from 'class-validator';

/** A message a consumer gave up on: the raw entry as read, and why. */
export class DeadLetteredPayload {
  /** Stream the entry was read from, without the namespace prefix. */
  @IsString() @Length(1, 200) stream: string;
  @Matches(/^\d+-\d+$/) entryId: string;
  /** The entry's `event` field exactly as read (may be invalid JSON). */
  @IsString() raw: string;
  @IsString() @Length(1, 2000) reason: string;
  /** Consumer group (service) that gave up. */
  @IsString() @Length(1, 200) service: string;
  @IsString() @Length(1, 200) consumer: string;
  @IsInt() @Min(0) deliveries: number;
  @IsISO8601({ strict: true }) failedAt: string;
}
