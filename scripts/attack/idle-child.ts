// One of the processes holding `npm run attack`'s idle connections (a process may hold only as many
// as its open-files limit): opens IDLE_COUNT connections to 127.0.0.1:IDLE_PORT that never send a
// byte, prints `opened <n> failed <n>`, then `closed <n>` each second, until it is killed.
import { idleConnections } from './clients.js';

const { sockets, closed, failed } = await idleConnections(
  Number(process.env.IDLE_PORT),
  Number(process.env.IDLE_COUNT),
);
console.log(`opened ${sockets.length - failed()} failed ${failed()}`);
setInterval(() => console.log(`closed ${closed()}`), 1000);
