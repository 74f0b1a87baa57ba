// `node --import tsx --import ./bench/boot-cpu.mjs FILE.ts`: the CPU spent before FILE's imports load (Node
// and the tsx loader), so that a whole-process figure can leave out what only running from source costs.
import process from 'node:process';

const { user, system } = process.cpuUsage();
globalThis.bootCpuMicros = user + system;
