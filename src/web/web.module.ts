import { Module } from '@nestjs/common';
import { WebSessionStore } from './web-session-store';

/**
 * What the workbench needs from Nest's lifecycle. Its pages are Express routers (`setUpWeb`) over
 * the api's services, not Nest controllers; the session store is a provider so that it closes with
 * the app.
 */
@Module({ providers: [WebSessionStore], exports: [WebSessionStore] })
export class WebModule {}
