/**
 * Display names. The original client offered a random name so nobody had to invent one; so does this one.
 * The last name used is remembered on this device only (localStorage); it never reaches the server
 * unencrypted (profiles are sealed with the room key).
 */
const ADJECTIVES = [
  'Amber',
  'Brave',
  'Calm',
  'Clever',
  'Cosy',
  'Curious',
  'Daring',
  'Gentle',
  'Golden',
  'Happy',
  'Jolly',
  'Keen',
  'Kind',
  'Lively',
  'Lucky',
  'Mellow',
  'Misty',
  'Nimble',
  'Patient',
  'Quiet',
  'Rapid',
  'Silver',
  'Sunny',
  'Swift',
  'Tidy',
  'Velvet',
  'Witty',
  'Zesty',
];
const ANIMALS = [
  'Badger',
  'Beaver',
  'Crane',
  'Dolphin',
  'Falcon',
  'Ferret',
  'Fox',
  'Gecko',
  'Heron',
  'Ibis',
  'Koala',
  'Lemur',
  'Lynx',
  'Marten',
  'Moose',
  'Narwhal',
  'Otter',
  'Owl',
  'Panda',
  'Puffin',
  'Quokka',
  'Raven',
  'Robin',
  'Seal',
  'Stoat',
  'Swan',
  'Tapir',
  'Wombat',
];

const STORAGE_KEY = 'sealroom:name';

function pick<T>(items: readonly T[]): T {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return items[n % items.length];
}

/** A random name such as "Mellow Otter", different from `avoid` when given. */
export function randomDisplayName(avoid?: string): string {
  for (;;) {
    const name = `${pick(ADJECTIVES)} ${pick(ANIMALS)}`;
    if (name !== avoid) return name;
  }
}

export function rememberedDisplayName(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked (private mode, policies): just offer a random name
  }
}

export function rememberDisplayName(name: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, name);
  } catch {
    // not essential
  }
}
