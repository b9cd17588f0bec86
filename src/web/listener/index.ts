export { keepLogWhenSessionEnded } from './keep-log';
export { listenerRoutes } from './listener.routes';
