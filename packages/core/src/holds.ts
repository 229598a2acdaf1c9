// What the engine keeps alive for every pending overlapped operation and queued APC, held here in
// plain arrays instead of one Node-API reference per object: a "slot" per operation or APC holds its
// argument (lpOverlapped, or QueueUserAPC's dwData), its function (the completion routine or pfnAPC),
// its buffer and the WSAOVERLAPPED's memory. Native code names the slot; the engine reads the last two
// fields (setOverlappedHolds) to find a pending operation's memory again before each use, since the
// program may detach it meanwhile (caller_memory.h); it never keeps a pointer into them.
//
// Invariant: a slot given to native code (`opResult[KEPT]` 1 after the call) comes back exactly once,
// through the APC ring (it had a function) or through the retire list (it had none); until then its
// objects stay here, so the GC cannot free memory the kernel or the engine still writes. A slot native
// code did not keep is released by the caller at once.
import { native } from './binding.js';
import {
  APC_BYTES, APC_ERROR, APC_FLAGS, APC_HEAD, APC_RECORD_WORDS, APC_SLOT, APC_TAIL, ARG_FLAGS, ARG_LEN,
  ARG_ROUTINE, ARG_S, ARG_SLOT, BYTES, FLAGS, HELD_ARG, HELD_BUFFER, HELD_FIELDS, HELD_FUNCTION, HELD_MEMORY,
  KEPT, REPORTED,
} from './layout.generated.js';
import { realmState } from './realm-state.js';

// Indexes, counts and offsets of the shared memory come from layout.def, the one list C++ compiles too.

// One set per realm, shared by every build of this module (realm-state.ts); the native runner,
// retirer and holds are registered once, with it.
const state = realmState('holds', () => {
  const made = {
    held: [] as unknown[],  // HELD_FIELDS per slot
    free: [] as number[],
    nextSlot: 0,
    /**
     * Marks a slot whose function is a QueueUserAPC function, called as pfnAPC(dwData). An object, not a
     * symbol: the buffer field otherwise holds objects or null, and comparing objects stays a pointer
     * comparison in optimized code where a symbol among them makes it a generic one.
     */
    USER_APC: Object.freeze({ userApc: true }) as object,
  };
  native.setApcRunner(runApcs);
  native.setOverlappedRetirer(retire);
  native.setOverlappedHolds(made.held);
  return made;
});
const held = state.held, free = state.free, USER_APC = state.USER_APC;

export function hold(arg: unknown, fn: Function | null, buffer: unknown, memory: unknown = null): number {
  const slot = free.length > 0 ? free.pop()! : state.nextSlot++;
  const at = HELD_FIELDS * slot;
  held[at + HELD_ARG] = arg;
  held[at + HELD_FUNCTION] = fn;
  held[at + HELD_BUFFER] = buffer;
  held[at + HELD_MEMORY] = memory;
  return slot;
}

export function holdUserApc(fn: Function, dwData: unknown): number {
  return hold(dwData, fn, USER_APC);
}

export function release(slot: number): void {
  const at = HELD_FIELDS * slot;
  held[at + HELD_ARG] = held[at + HELD_FUNCTION] = held[at + HELD_BUFFER] = held[at + HELD_MEMORY] = undefined;
  free.push(slot);
}

/**
 * What an overlapped call reports besides its return value, written by native code:
 * [KEPT] 1 when native code keeps the slot (the operation is pending, or its routine is queued);
 * [BYTES], [FLAGS] the count and flags of an operation that completed at once; [REPORTED] 1 when the
 * call reports them (success, or a truncated datagram).
 */
export const opResult: Float64Array = native.overlappedResult;
export { KEPT, BYTES, FLAGS, REPORTED };

/**
 * The numbers of a one-buffer WSASend/WSARecv (callArgs), written by setCallArgs just before
 * `overlappedSendOne(buf, ovMem)` or `overlappedRecvOne(buf, ovMem)`: the call then crosses with two
 * arguments, and native code reads plain memory instead of making a Node-API call per number.
 * [ARG_FLAGS] is dwFlags as int32 for a send, lpFlags.value as uint32 (or -1 for a null lpFlags) for a
 * receive; [ARG_ROUTINE] is 1 or 0. Only numbers are written here: a call given anything else takes
 * the WSABUF-array form, whose native intake refuses it with a TypeError.
 */
const callArgs: Float64Array = native.overlappedArgs;

export function setCallArgs(s: number, len: number, flags: number, slot: number, routine: Function | null): void {
  callArgs[ARG_S] = s;
  callArgs[ARG_LEN] = len;
  callArgs[ARG_FLAGS] = flags;
  callArgs[ARG_SLOT] = slot;
  callArgs[ARG_ROUTINE] = routine !== null ? 1 : 0;
}

/**
 * Starts an overlapped call: holds its objects in a fresh slot and clears opResult. `memory` is
 * lpOverlapped's memory (memoryOf), which the native call also receives.
 */
export function beginCall(arg: unknown, fn: Function | null, buffer: unknown, memory: unknown): number {
  const slot = hold(arg, fn, buffer, memory);
  opResult[KEPT] = 0;
  opResult[REPORTED] = 0;
  return slot;
}

/** Ends it (in a finally: also when native code threw): a slot the engine did not keep is released. */
export function endCall(slot: number): void {
  if (opResult[KEPT] === 0) release(slot);
}

// The APC ring (apc.h): records of [slot, error, bytes, flags]; control [head, tail].
const ring = native.apcRing;
const control = native.apcControl;
const MASK = ring.length / APC_RECORD_WORDS - 1;

/**
 * Runs queued APCs from the ring, oldest first, at most `limit`; native code calls it from an
 * alertable wait, once per batch. The head moves before each call, so a routine that throws is not
 * run again and a nested alertable wait (a routine awaiting SleepEx) continues from the same place.
 */
function runApcs(limit: number): number {
  let ran = 0;
  while (ran < limit && control[APC_HEAD] !== control[APC_TAIL]) {
    const at = APC_RECORD_WORDS * (control[APC_HEAD]! & MASK);
    const slot = ring[at + APC_SLOT]!, error = ring[at + APC_ERROR]!, bytes = ring[at + APC_BYTES]!;
    const flags = ring[at + APC_FLAGS]!;
    control[APC_HEAD] = control[APC_HEAD]! + 1;
    ran++;
    const h = HELD_FIELDS * slot;
    const arg = held[h + HELD_ARG], fn = held[h + HELD_FUNCTION] as Function, kind = held[h + HELD_BUFFER];
    release(slot);
    if (kind === USER_APC) fn(arg);
    else fn(error, bytes, arg, flags);
  }
  return ran;
}

/** Releases the slots of operations that completed without a routine; called once per loop turn. */
function retire(count: number): void {
  const list = native.overlappedRetired;
  for (let i = 0; i < count; i++) release(list[i]!);
}

/** How many slots are held now (for tests: every slot comes back once its operation or APC is done). */
export function slotsInUse(): number {
  return state.nextSlot - free.length;
}
