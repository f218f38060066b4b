import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  RpcPatterns,
  StrategyBotsArchive,
  StrategyBotsConfigurations,
  StrategyBotsCreate,
  StrategyBotsGet,
  StrategyBotsList,
  StrategyBotsPause,
  StrategyBotsStart,
  StrategyBotsStop,
  StrategyBotsUpdate,
  StrategySignalsList,
} from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { BotConfigurationListDto, BotDto, BotPageDto, CreateBotDto, ListBotsQuery, PageQuery, SignalPageDto, UpdateBotDto } from './strategy.dto';

/** Bots of the caller (admin: everyone's). Another user's bot answers 404. */
@ApiTags('bots')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('bots')
export class BotsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @ApiOperation({ summary: 'Create a bot (stopped; configuration version 1)' })
  @ApiResponse({ status: 201, type: BotDto })
  @ApiResponse({ status: 400, type: ErrorBodyDto, description: 'Invalid settings or strategy parameters' })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'You already have a bot with this name' })
  create(@Caller() caller: GatewayCaller, @Body() body: CreateBotDto): Promise<StrategyBotsCreate.Response> {
    return this.rpc.send(RpcPatterns.StrategyBotsCreate, { caller: rpcCaller(caller), ...body });
  }

  @Get()
  @ApiOperation({ summary: 'Your bots, newest first (admin: every bot)' })
  @ApiResponse({ status: 200, type: BotPageDto })
  list(@Caller() caller: GatewayCaller, @Query() query: ListBotsQuery): Promise<StrategyBotsList.Response> {
    const { includeArchived, ...rest } = query;
    return this.rpc.send(RpcPatterns.StrategyBotsList, { caller: rpcCaller(caller), ...rest, ...(includeArchived && { includeArchived: includeArchived === 'true' }) });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One bot, with its current target and last decided candle' })
  @ApiResponse({ status: 200, type: BotDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  get(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<StrategyBotsGet.Response> {
    return this.rpc.send(RpcPatterns.StrategyBotsGet, { caller: rpcCaller(caller), botId: id });
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change settings: a new configuration version, effective now' })
  @ApiResponse({ status: 200, type: BotDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  update(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateBotDto): Promise<StrategyBotsUpdate.Response> {
    if (!Object.entries(body).some(([key, value]) => value !== undefined && key !== 'changeReason')) {
      throw new BadRequestException({ error: 'VALIDATION_FAILED', message: 'nothing to change', details: ['send at least one setting'] });
    }
    return this.rpc.send(RpcPatterns.StrategyBotsUpdate, { caller: rpcCaller(caller), ...body, botId: id });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Archive a bot (stops it; kept for history)' })
  @ApiResponse({ status: 200, type: BotDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  archive(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<StrategyBotsArchive.Response> {
    return this.rpc.send(RpcPatterns.StrategyBotsArchive, { caller: rpcCaller(caller), botId: id });
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start: evaluated from the next closed candle' })
  @ApiResponse({ status: 200, type: BotDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'Archived' })
  start(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<StrategyBotsStart.Response> {
    return this.rpc.send(RpcPatterns.StrategyBotsStart, { caller: rpcCaller(caller), botId: id });
  }

  @Post(':id/stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop' })
  @ApiResponse({ status: 200, type: BotDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  stop(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<StrategyBotsStop.Response> {
    return this.rpc.send(RpcPatterns.StrategyBotsStop, { caller: rpcCaller(caller), botId: id });
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause (no new signals; state kept)' })
  @ApiResponse({ status: 200, type: BotDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'Not running' })
  pause(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<StrategyBotsPause.Response> {
    return this.rpc.send(RpcPatterns.StrategyBotsPause, { caller: rpcCaller(caller), botId: id });
  }

  @Get(':id/configurations')
  @ApiOperation({ summary: 'Configuration history, newest version first' })
  @ApiResponse({ status: 200, type: BotConfigurationListDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  configurations(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<StrategyBotsConfigurations.Response> {
    return this.rpc.send(RpcPatterns.StrategyBotsConfigurations, { caller: rpcCaller(caller), botId: id });
  }

  @Get(':id/signals')
  @ApiOperation({ summary: "The bot's signals, newest candle first" })
  @ApiResponse({ status: 200, type: SignalPageDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  signals(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: PageQuery): Promise<StrategySignalsList.Response> {
    return this.rpc.send(RpcPatterns.StrategySignalsList, { caller: rpcCaller(caller), ...query, botId: id });
  }
}
